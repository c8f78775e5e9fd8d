using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AvantiPS.Loading;

namespace AvantiPS.Json
{
    /// <summary>
    /// Turns JSON tokens into PowerShell values: objects become PSCustomObjects, arrays object[], integers Int64
    /// (BigInteger beyond), other numbers Decimal (Double only beyond Decimal's range), so amounts keep every digit
    /// Avanti sent; ISO 8601 date-times as <see cref="AvantiDateKind"/> says (by default a DateTimeOffset when the
    /// text has an offset or Z, an Unspecified DateTime when not: the day and time of day sent, in every time zone);
    /// every other string stays a string, so an employee number such as "000000011" keeps its zeros.
    /// </summary>
    internal sealed class JsonValueConverter
    {
        /// <summary>A new converter with the module's defaults (dates <see cref="AvantiDateKind.AsSent"/>).</summary>
        public static JsonValueConverter Default => new JsonValueConverter(AvantiDateKind.AsSent);

        // The property names of this reading; a converter serves one reading on one thread.
        readonly PropertyNames names = new PropertyNames();

        // Booleans are boxed once, not once per value: a report has one in every row.
        static readonly object True = true;
        static readonly object False = false;

        public JsonValueConverter(AvantiDateKind dateKind, bool asHashtable = false)
        {
            DateKind = dateKind;
            AsHashtable = asHashtable;
        }

        public AvantiDateKind DateKind { get; }

        /// <summary>Objects become ordered dictionaries, as ConvertFrom-Json -AsHashtable makes them.</summary>
        public bool AsHashtable { get; }

        /// <summary>Reads the value at the reader's current token, leaving the reader on the value's last token.</summary>
        [MethodImpl(HotPath.Optimized)]
        public object ReadValue(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return AsHashtable ? (object)ReadDictionary(ref reader) : ReadObject(ref reader);
                case JsonTokenType.StartArray:
                    var items = new List<object>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(ReadValue(ref reader));
                    }
                    return items.ToArray();
                case JsonTokenType.String:
                    return ReadString(ref reader);
                case JsonTokenType.Number:
                    return ReadNumber(ref reader);
                case JsonTokenType.True:
                    return True;
                case JsonTokenType.False:
                    return False;
                case JsonTokenType.Null:
                    return null;
                default:
                    throw new JsonException("Unexpected JSON token " + reader.TokenType + ".");
            }
        }

        /// <summary>Reads an object into a PSCustomObject; a repeated property name keeps the last value.</summary>
        [MethodImpl(HotPath.Optimized)]
        public PSObject ReadObject(ref Utf8JsonReader reader)
        {
            var result = new PSObject();
            PSMemberInfoCollection<PSPropertyInfo> properties = result.Properties;
            var seen = default(SeenNames);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = names.Read(ref reader);
                reader.Read();
                object value = ReadValue(ref reader);
                if (seen.Add(name))
                {
                    properties.Add(new PSNoteProperty(name, value), true);
                }
                else
                {
                    properties[name].Value = value;
                }
            }
            return result;
        }

        /// <summary>
        /// The property names an object has so far, to find a repeated one (PowerShell's names ignore case). Most
        /// objects have a few dozen properties, compared in order more cheaply than a set made for each object; past
        /// <see cref="ListedNames"/> the names move to a set.
        /// </summary>
        struct SeenNames
        {
            const int ListedNames = 32;
            string[] list;
            int count;
            HashSet<string> set;

            /// <summary>Adds the name; false when the object already had it.</summary>
            public bool Add(string name)
            {
                if (set != null) return set.Add(name);
                for (int i = 0; i < count; i++)
                {
                    string other = list[i];
                    if (ReferenceEquals(other, name) || (other.Length == name.Length && string.Equals(other, name, StringComparison.OrdinalIgnoreCase))) return false;
                }
                if (count == ListedNames)
                {
                    set = new HashSet<string>(list, StringComparer.OrdinalIgnoreCase);
                    return set.Add(name);
                }
                if (list == null) list = new string[8];
                else if (count == list.Length) Array.Resize(ref list, count * 2);
                list[count++] = name;
                return true;
            }
        }

        /// <summary>
        /// Reads an object into an ordered dictionary, as ConvertFrom-Json -AsHashtable does: keys keep their order and
        /// case (names that differ only in case, or an empty name, are kept apart); a repeated name keeps the last value.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public OrderedDictionary ReadDictionary(ref Utf8JsonReader reader)
        {
            var result = new OrderedDictionary(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = names.Read(ref reader);
                reader.Read();
                result[name] = ReadValue(ref reader);
            }
            return result;
        }

        [MethodImpl(HotPath.Optimized)]
        public object ReadString(ref Utf8JsonReader reader)
        {
            if (DateKind != AvantiDateKind.String && !reader.HasValueSequence
                && TryParseDateTime(reader.ValueSpan, out DateTime clock, out TimeSpan? offset)
                && TryShape(clock, offset, DateKind, out object date))
            {
                return date;
            }
            return reader.GetString();
        }

        /// <summary>
        /// A string read by <see cref="PlainJson"/>, converted as <see cref="ReadString"/> converts it (a date is
        /// recognised in the text as sent, escapes and all, as there): false when Utf8JsonReader would not decode it.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public bool TryReadPlainString(byte[] bytes, int start, int length, bool ascii, bool escaped, out object value)
        {
            if (DateKind != AvantiDateKind.String && length >= 19
                && TryParseDateTime(new ReadOnlySpan<byte>(bytes, start, length), out DateTime clock, out TimeSpan? offset)
                && TryShape(clock, offset, DateKind, out value))
            {
                return true;
            }
            string text;
            bool decoded;
            if (escaped)
            {
                int written = PlainJson.Unescape(bytes, start, length, ref unescaped, 0);
                if (written < 0)
                {
                    value = null;
                    return false;
                }
                decoded = PlainJson.TryDecode(unescaped, 0, written, out text);
            }
            else if (ascii)
            {
                text = Ascii(bytes, start, length);
                decoded = true;
            }
            else
            {
                decoded = PlainJson.TryDecode(bytes, start, length, out text);
            }
            value = text;
            return decoded;
        }

        // Room for a string's text with its escapes resolved.
        byte[] unescaped = new byte[256];

        // Widening room for ASCII strings; a converter serves one reading on one thread.
        char[] widened = new char[256];

        /// <summary>ASCII bytes as a string: widened here, which for the short strings of a row costs less than a decoder.</summary>
        [MethodImpl(HotPath.Optimized)]
        string Ascii(byte[] bytes, int start, int length)
        {
            if (length == 0) return string.Empty;
            if (length > widened.Length) widened = new char[Math.Max(length, widened.Length * 2)];
            char[] chars = widened;
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)bytes[start + i];
            }
            return new string(chars, 0, length);
        }

        /// <summary>
        /// A number read by <see cref="PlainJson.Number"/>, as <see cref="ReadNumber"/> gives it: Int64 without a point,
        /// else the Decimal with the digits and scale written (35.90 keeps its trailing zero, as Decimal parsing does).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static object PlainNumber(long mantissa, int scale, bool negative)
        {
            if (scale == 0) return negative ? -mantissa : mantissa;
            return new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative, (byte)scale);
        }

        /// <summary>The boxed value of a JSON literal.</summary>
        public static object LiteralValue(JsonLiteral literal) => literal == JsonLiteral.True ? True : literal == JsonLiteral.False ? False : null;

        /// <summary>Integers as Int64 (BigInteger beyond); any other number as Decimal, Double only beyond Decimal's range.</summary>
        [MethodImpl(HotPath.Optimized)]
        public static object ReadNumber(ref Utf8JsonReader reader)
        {
            if (reader.TryGetInt64(out long whole))
            {
                return whole;
            }
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            bool integral = raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
            string text = Encoding.ASCII.GetString(raw.ToArray());
            if (integral && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
            {
                return big;
            }
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal amount) && (amount != 0m || IsZero(raw)))
            {
                return amount;
            }
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        /// <summary>True when every digit of the mantissa is 0, so a Decimal 0 is the value and not an underflow (1e-40).</summary>
        static bool IsZero(ReadOnlySpan<byte> raw)
        {
            foreach (byte b in raw)
            {
                if (b == (byte)'e' || b == (byte)'E') return true;
                if (b >= (byte)'1' && b <= (byte)'9') return false;
            }
            return true;
        }

        /// <summary>
        /// Gives the date-time the shape <paramref name="kind"/> asks for. <paramref name="clock"/> is the day and time
        /// of day as written; <paramref name="offset"/> the written offset (Z is zero), null when there was none.
        /// False when the shape cannot hold it (an offset pushing the instant past year 1 or 9999).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        internal static bool TryShape(DateTime clock, TimeSpan? offset, AvantiDateKind kind, out object value)
        {
            value = null;
            try
            {
                switch (kind)
                {
                    case AvantiDateKind.AsSent:
                        value = offset.HasValue ? new DateTimeOffset(clock, offset.Value) : (object)clock;
                        return true;
                    case AvantiDateKind.Offset:
                        value = offset.HasValue ? new DateTimeOffset(clock, offset.Value) : new DateTimeOffset(DateTime.SpecifyKind(clock, DateTimeKind.Local));
                        return true;
                    case AvantiDateKind.Local:
                        value = offset.HasValue ? new DateTimeOffset(clock, offset.Value).LocalDateTime : DateTime.SpecifyKind(clock, DateTimeKind.Local);
                        return true;
                    case AvantiDateKind.Utc:
                        value = offset.HasValue ? new DateTimeOffset(clock, offset.Value).UtcDateTime : DateTime.SpecifyKind(clock, DateTimeKind.Utc);
                        return true;
                    default:
                        // ConvertFrom-Json: Unspecified without a zone, Utc for Z, local time for any other offset.
                        if (!offset.HasValue || clock.Kind == DateTimeKind.Utc) value = clock;
                        else value = new DateTimeOffset(clock, offset.Value).LocalDateTime;
                        return true;
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }

        /// <summary>
        /// Recognises yyyy-MM-ddTHH:mm:ss with optional fraction (up to 7 digits) and optional Z or ±HH:mm offset,
        /// the forms ConvertFrom-Json turns into dates. A date alone, or a time without seconds, stays a string.
        /// <paramref name="clock"/> is the day and time as written (Kind Utc for Z, else Unspecified);
        /// <paramref name="offset"/> the written offset (zero for Z), null when the text has none.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static bool TryParseDateTime(ReadOnlySpan<byte> s, out DateTime clock, out TimeSpan? offset)
        {
            clock = default;
            offset = null;
            if (s.Length < 19 || s.Length > 40 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
            {
                return false;
            }
            if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
                || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
            {
                return false;
            }
            int i = 19;
            long fractionTicks = 0;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                int digits = 0;
                long scale = TimeSpan.TicksPerSecond;
                while (i < s.Length && s[i] >= '0' && s[i] <= '9')
                {
                    if (digits < 7)
                    {
                        scale /= 10;
                        fractionTicks += (s[i] - '0') * scale;
                    }
                    digits++;
                    i++;
                }
                if (digits == 0) return false;
            }

            DateTimeKind kind = DateTimeKind.Unspecified;
            TimeSpan zone = TimeSpan.Zero;
            bool hasZone = false;
            if (i < s.Length)
            {
                if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.Length)
                {
                    kind = DateTimeKind.Utc;
                    hasZone = true;
                }
                else if ((s[i] == '+' || s[i] == '-') && (s.Length - i == 6 || s.Length - i == 5))
                {
                    int sign = s[i] == '-' ? -1 : 1;
                    int minuteStart = s.Length - i == 6 ? i + 4 : i + 3;
                    if (s.Length - i == 6 && s[i + 3] != ':') return false;
                    if (!Digits(s, i + 1, 2, out int offsetHours) || !Digits(s, minuteStart, 2, out int offsetMinutes) || offsetHours > 14 || offsetMinutes > 59)
                    {
                        return false;
                    }
                    zone = new TimeSpan(sign * offsetHours, sign * offsetMinutes, 0);
                    hasZone = true;
                }
                else
                {
                    return false;
                }
            }

            if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
            {
                return false;
            }
            clock = new DateTime(year, month, day, hour, minute, second, kind).AddTicks(fractionTicks);
            if (hasZone) offset = zone;
            return true;
        }

        static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
        {
            value = 0;
            for (int i = start; i < start + count; i++)
            {
                int digit = s[i] - '0';
                if (digit < 0 || digit > 9) return false;
                value = value * 10 + digit;
            }
            return true;
        }
    }
}
