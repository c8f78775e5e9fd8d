using System;
using System.Globalization;

namespace AvantiPS.Json
{
    /// <summary>
    /// The one way a date goes to Avanti, in a query, a path, a request body or a report's date range.
    /// <para>
    /// date-time (the contract's <c>format: date-time</c>, and the default): Avanti's own form, as in its report rows
    /// and examples, <c>yyyy-MM-ddTHH:mm:ss.fffffff±HH:mm</c>, always with a zone. A DateTimeOffset keeps its offset,
    /// so a value read from Avanti goes back as the text Avanti sent; a DateTime of Kind Local carries the machine's
    /// offset for that time; Utc is +00:00; Unspecified (what <c>[datetime]'1992-03-06'</c> gives) is taken as UTC,
    /// so the day and time typed go out unchanged and the request is the same on every machine, whatever its zone.
    /// </para>
    /// <para>date (<c>format: date</c>): <c>yyyy-MM-dd</c>, the day as written (a DateTimeOffset's own day, not converted).</para>
    /// </summary>
    internal static class OutgoingDate
    {
        const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz";
        const string DateFormat = "yyyy-MM-dd";

        /// <summary>The contract's name for a date-only value.</summary>
        public const string DateOnlyType = "date";

        /// <summary>Formats a DateTime or DateTimeOffset; false (text null) for any other value.</summary>
        public static bool TryFormat(object value, bool dateOnly, out string text)
        {
            switch (value)
            {
                case DateTime date:
                    text = dateOnly ? date.ToString(DateFormat, CultureInfo.InvariantCulture) : Format(ToOffset(date));
                    return true;
                case DateTimeOffset offset:
                    text = dateOnly ? offset.ToString(DateFormat, CultureInfo.InvariantCulture) : Format(offset);
                    return true;
                default:
                    text = null;
                    return false;
            }
        }

        /// <summary>A date-time with its zone.</summary>
        public static string Format(DateTime value) => Format(ToOffset(value));

        static string Format(DateTimeOffset value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

        /// <summary>Local keeps the machine's offset for that time; Utc and Unspecified are UTC.</summary>
        static DateTimeOffset ToOffset(DateTime value) =>
            value.Kind == DateTimeKind.Local
                ? new DateTimeOffset(value)
                : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);
    }
}
