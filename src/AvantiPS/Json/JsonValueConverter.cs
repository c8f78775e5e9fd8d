using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace AvantiPS.Json
{
    /// <summary>
    /// Turns JSON tokens into PowerShell values the way ConvertFrom-Json does on PowerShell 7: objects become
    /// PSCustomObjects, arrays object[], integers Int64 (BigInteger beyond), other numbers Double, ISO 8601 date-times
    /// DateTime (no offset: Unspecified, Z: Utc, an offset: converted to local time), and every other string stays a
    /// string, so an employee number such as "000000011" keeps its zeros.
    /// </summary>
    internal static class JsonValueConverter
    {
        /// <summary>Reads the value at the reader's current token, leaving the reader on the value's last token.</summary>
        public static object ReadValue(ref Utf8JsonReader reader) => ReadValue(ref reader, false);

        /// <summary>As <see cref="ReadValue(ref Utf8JsonReader)"/>; with asHashtable, objects become ordered dictionaries (-AsHashtable).</summary>
        public static object ReadValue(ref Utf8JsonReader reader, bool asHashtable)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return asHashtable ? (object)ReadDictionary(ref reader) : ReadObject(ref reader);
                case JsonTokenType.StartArray:
                    var items = new List<object>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(ReadValue(ref reader, asHashtable));
                    }
                    return items.ToArray();
                case JsonTokenType.String:
                    return ReadString(ref reader);
                case JsonTokenType.Number:
                    return ReadNumber(ref reader);
                case JsonTokenType.True:
                    return true;
                case JsonTokenType.False:
                    return false;
                case JsonTokenType.Null:
                    return null;
                default:
                    throw new JsonException("Unexpected JSON token " + reader.TokenType + ".");
            }
        }

        /// <summary>Reads an object into a PSCustomObject; a repeated property name keeps the last value.</summary>
        public static PSObject ReadObject(ref Utf8JsonReader reader)
        {
            var result = new PSObject();
            PSMemberInfoCollection<PSPropertyInfo> properties = result.Properties;
            HashSet<string> seen = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString();
                reader.Read();
                object value = ReadValue(ref reader);
                seen = seen ?? new HashSet<string>(StringComparer.OrdinalIgnoreCase);
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
        /// Reads an object into an ordered dictionary, as ConvertFrom-Json -AsHashtable does: keys keep their order and
        /// case (names that differ only in case, or an empty name, are kept apart); a repeated name keeps the last value.
        /// </summary>
        public static OrderedDictionary ReadDictionary(ref Utf8JsonReader reader)
        {
            var result = new OrderedDictionary(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString();
                reader.Read();
                result[name] = ReadValue(ref reader, true);
            }
            return result;
        }

        public static object ReadString(ref Utf8JsonReader reader)
        {
            if (!reader.HasValueSequence && TryParseDateTime(reader.ValueSpan, out DateTime date))
            {
                return date;
            }
            return reader.GetString();
        }

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
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Recognises yyyy-MM-ddTHH:mm:ss with optional fraction (up to 7 digits) and optional Z or ±HH:mm offset,
        /// the forms ConvertFrom-Json turns into DateTime. A date alone, or a time without seconds, stays a string.
        /// </summary>
        public static bool TryParseDateTime(ReadOnlySpan<byte> s, out DateTime value)
        {
            value = default;
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
            TimeSpan offset = TimeSpan.Zero;
            bool hasOffset = false;
            if (i < s.Length)
            {
                if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.Length)
                {
                    kind = DateTimeKind.Utc;
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
                    offset = new TimeSpan(sign * offsetHours, sign * offsetMinutes, 0);
                    hasOffset = true;
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
            var moment = new DateTime(year, month, day, hour, minute, second, kind).AddTicks(fractionTicks);
            if (hasOffset)
            {
                try
                {
                    value = new DateTimeOffset(moment, offset).LocalDateTime;
                }
                catch (ArgumentOutOfRangeException)
                {
                    return false;
                }
                return true;
            }
            value = moment;
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
