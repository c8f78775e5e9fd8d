namespace AvantiPS
{
    /// <summary>
    /// How date-time strings read from Avanti become values (Get-AvantiReport and Invoke-AvantiEndpoint -DateKind).
    /// <see cref="AsSent"/> is the module's default; the others are ConvertFrom-Json's -DateKind choices.
    /// </summary>
    public enum AvantiDateKind
    {
        /// <summary>
        /// The default: a value with an offset or Z becomes a DateTimeOffset with that offset (the day, time of day
        /// and instant Avanti sent), a value without one a DateTime of Kind Unspecified (the day and time sent).
        /// Nothing depends on the machine's time zone.
        /// </summary>
        AsSent,

        /// <summary>As ConvertFrom-Json by default: DateTime, Unspecified without offset, Utc for Z, converted to local time for an offset.</summary>
        Default,

        /// <summary>DateTime of Kind Local: an offset or Z is converted to local time; a value without one is taken as local time.</summary>
        Local,

        /// <summary>DateTime of Kind Utc: an offset is converted to UTC; a value without one is taken as UTC.</summary>
        Utc,

        /// <summary>DateTimeOffset: the offset sent (Z is +00:00); a value without one gets the machine's offset for that time.</summary>
        Offset,

        /// <summary>The text exactly as sent.</summary>
        String,
    }
}
