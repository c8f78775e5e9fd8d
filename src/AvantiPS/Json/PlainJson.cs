using System;
using System.Runtime.CompilerServices;
using System.Text;
using AvantiPS.Loading;

namespace AvantiPS.Json
{
    /// <summary>
    /// The plain JSON that makes up nearly every report row, read straight from its UTF-8 bytes: strings (escapes
    /// too, as a server that escapes every accent sends them), numbers of at most 18 digits without an exponent,
    /// true, false, null. Each method reads its token whole, or says that the bytes in hand end inside it
    /// (<see cref="Short"/>: read more and try again), or declines (<see cref="Declined"/>): on a control character,
    /// half a surrogate pair, an exponent, more digits, bytes that are not UTF-8. A caller that meets a decline reads
    /// the same bytes again with Utf8JsonReader, which handles the rest of JSON and says what is wrong with bad JSON;
    /// so nothing here ever decides that JSON is invalid, and what it does read it reads exactly as Utf8JsonReader would.
    /// <para>
    /// Why not Utf8JsonReader alone: a scheduled report runs once, in a fresh process, where the reader's code starts
    /// precompiled and is recompiled twice on the runtime's one background thread while the rows go by, and its first
    /// use mid-report kept postponing the optimisation of PowerShell's own per-object code. Read here, with code
    /// compiled optimised once (<see cref="HotPath"/>), a cold 100k-row Get-AvantiReport took 1.2 s instead of 1.45 s.
    /// </para>
    /// </summary>
    internal static class PlainJson
    {
        /// <summary>What the methods return when they leave the bytes to Utf8JsonReader.</summary>
        public const int Declined = -1;

        /// <summary>What the methods return when the bytes in hand end before the token does.</summary>
        public const int Short = -2;

        /// <summary>Longest digit run whose value Int64 holds, whatever the digits.</summary>
        const int MostDigits = 18;

        // Throws on bytes that are not UTF-8, as Utf8JsonReader refuses them, instead of putting U+FFFD in their place.
        static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

        /// <summary>The first index at or after <paramref name="i"/> that is not JSON whitespace (or <paramref name="end"/>).</summary>
        [MethodImpl(HotPath.Optimized)]
        public static int SkipBlank(byte[] bytes, int i, int end)
        {
            while (i < end)
            {
                byte b = bytes[i];
                if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t') break;
                i++;
            }
            return i;
        }

        /// <summary>
        /// From the first byte after an opening quote: the index of the closing quote; <see cref="Declined"/> for a
        /// string with a control character or an escape JSON does not have; <see cref="Short"/> for one that runs
        /// past <paramref name="end"/>. <paramref name="ascii"/> is false when the string has bytes beyond ASCII,
        /// <paramref name="escaped"/> true when it has escapes (then decode with <see cref="Unescape"/>).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static int StringEnd(byte[] bytes, int i, int end, out bool ascii, out bool escaped)
        {
            int high = 0;
            escaped = false;
            ascii = false;
            for (; i < end; i++)
            {
                byte b = bytes[i];
                if (b == (byte)'"')
                {
                    ascii = high < 0x80;
                    return i;
                }
                if (b < 0x20) return Declined;
                if (b == (byte)'\\')
                {
                    escaped = true;
                    if (i + 1 >= end) return Short;
                    byte e = bytes[i + 1];
                    if (e == (byte)'u')
                    {
                        if (i + 5 >= end) return Short;
                        if (Hex(bytes[i + 2]) < 0 || Hex(bytes[i + 3]) < 0 || Hex(bytes[i + 4]) < 0 || Hex(bytes[i + 5]) < 0) return Declined;
                        i += 5;
                    }
                    else if (e == (byte)'"' || e == (byte)'\\' || e == (byte)'/' || e == (byte)'b' || e == (byte)'f' || e == (byte)'n' || e == (byte)'r' || e == (byte)'t')
                    {
                        i++;
                    }
                    else
                    {
                        return Declined;
                    }
                    continue;
                }
                high |= b;
            }
            return Short;
        }

        /// <summary>
        /// The UTF-8 bytes of a string's content with its escapes resolved (<see cref="StringEnd"/> has checked their
        /// form), written to <paramref name="into"/> (grown as needed) from <paramref name="at"/>: the count written,
        /// or <see cref="Declined"/> for a \u escape of half a surrogate pair without its other half.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static int Unescape(byte[] bytes, int start, int length, ref byte[] into, int at)
        {
            // Every escape is at least as long as the UTF-8 it stands for.
            if (into.Length < at + length) Array.Resize(ref into, Math.Max(into.Length * 2, at + length));
            byte[] output = into;
            int o = at;
            int end = start + length;
            for (int i = start; i < end; i++)
            {
                byte b = bytes[i];
                if (b != (byte)'\\')
                {
                    output[o++] = b;
                    continue;
                }
                byte e = bytes[++i];
                switch (e)
                {
                    case (byte)'b': output[o++] = (byte)'\b'; break;
                    case (byte)'f': output[o++] = (byte)'\f'; break;
                    case (byte)'n': output[o++] = (byte)'\n'; break;
                    case (byte)'r': output[o++] = (byte)'\r'; break;
                    case (byte)'t': output[o++] = (byte)'\t'; break;
                    case (byte)'u':
                        int unit = HexUnit(bytes, i + 1);
                        i += 4;
                        int point = unit;
                        if (unit >= 0xD800 && unit <= 0xDFFF)
                        {
                            // Half of a surrogate pair: a high half followed by an escaped low half, or nothing to decode.
                            if (unit > 0xDBFF || i + 6 >= end || bytes[i + 1] != (byte)'\\' || bytes[i + 2] != (byte)'u') return Declined;
                            int low = HexUnit(bytes, i + 3);
                            if (low < 0xDC00 || low > 0xDFFF) return Declined;
                            point = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            i += 6;
                        }
                        o = Utf8(point, output, o);
                        break;
                    default:
                        // '"', '\\' and '/' stand for themselves.
                        output[o++] = e;
                        break;
                }
            }
            return o - at;
        }

        static int Utf8(int point, byte[] output, int o)
        {
            if (point < 0x80)
            {
                output[o++] = (byte)point;
            }
            else if (point < 0x800)
            {
                output[o++] = (byte)(0xC0 | (point >> 6));
                output[o++] = (byte)(0x80 | (point & 0x3F));
            }
            else if (point < 0x10000)
            {
                output[o++] = (byte)(0xE0 | (point >> 12));
                output[o++] = (byte)(0x80 | ((point >> 6) & 0x3F));
                output[o++] = (byte)(0x80 | (point & 0x3F));
            }
            else
            {
                output[o++] = (byte)(0xF0 | (point >> 18));
                output[o++] = (byte)(0x80 | ((point >> 12) & 0x3F));
                output[o++] = (byte)(0x80 | ((point >> 6) & 0x3F));
                output[o++] = (byte)(0x80 | (point & 0x3F));
            }
            return o;
        }

        static int HexUnit(byte[] bytes, int i) => (Hex(bytes[i]) << 12) | (Hex(bytes[i + 1]) << 8) | (Hex(bytes[i + 2]) << 4) | Hex(bytes[i + 3]);

        static int Hex(byte b)
        {
            if (b >= (byte)'0' && b <= (byte)'9') return b - '0';
            if (b >= (byte)'a' && b <= (byte)'f') return b - 'a' + 10;
            if (b >= (byte)'A' && b <= (byte)'F') return b - 'A' + 10;
            return -1;
        }

        /// <summary>True when the bytes are UTF-8, as Utf8JsonReader requires of a string it decodes.</summary>
        public static bool IsUtf8(byte[] bytes, int start, int length)
        {
            try
            {
                Strict.GetCharCount(bytes, start, length);
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>The text of a string's bytes; false when they are not UTF-8.</summary>
        public static bool TryDecode(byte[] bytes, int start, int length, out string text)
        {
            try
            {
                text = Strict.GetString(bytes, start, length);
                return true;
            }
            catch (ArgumentException)
            {
                // DecoderFallbackException: Utf8JsonReader reports these bytes, and where they are.
                text = null;
                return false;
            }
        }

        /// <summary>
        /// A number at <paramref name="i"/>: the index after it, with its digits as <paramref name="mantissa"/> and the
        /// count of them after the point as <paramref name="scale"/>. Declines an exponent, more than 18 digits, a
        /// negative zero and JSON's forbidden forms (leading zeros, a bare point); <see cref="Short"/> when the number
        /// may go on past <paramref name="end"/>.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static int Number(byte[] bytes, int i, int end, out long mantissa, out int scale, out bool negative)
        {
            mantissa = 0;
            scale = 0;
            negative = false;
            if (bytes[i] == (byte)'-')
            {
                negative = true;
                i++;
            }
            int first = i;
            if (i >= end) return Short;
            if (bytes[i] == (byte)'0')
            {
                i++;
            }
            else
            {
                while (i < end && IsDigit(bytes[i]))
                {
                    mantissa = mantissa * 10 + (bytes[i] - (byte)'0');
                    if (++i - first > MostDigits) return Declined;
                }
                if (i == first) return Declined;
            }
            int digits = i - first;
            if (i >= end) return Short;
            if (bytes[i] == (byte)'.')
            {
                int point = ++i;
                while (i < end && IsDigit(bytes[i]))
                {
                    mantissa = mantissa * 10 + (bytes[i] - (byte)'0');
                    if (digits + (++i - point) > MostDigits) return Declined;
                }
                scale = i - point;
                if (i >= end) return Short;
                if (scale == 0) return Declined;
            }
            byte after = bytes[i];
            if (IsDigit(after) || after == (byte)'e' || after == (byte)'E' || after == (byte)'.') return Declined;
            if (negative && mantissa == 0) return Declined;
            return i;
        }

        /// <summary>
        /// The index after the literal true, false or null at <paramref name="i"/>, with its value; declined when the
        /// bytes there are not one of them; <see cref="Short"/> when it is not all in.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static int Literal(byte[] bytes, int i, int end, out JsonLiteral literal)
        {
            byte[] text;
            switch (bytes[i])
            {
                case (byte)'t':
                    literal = JsonLiteral.True;
                    text = TrueText;
                    break;
                case (byte)'f':
                    literal = JsonLiteral.False;
                    text = FalseText;
                    break;
                case (byte)'n':
                    literal = JsonLiteral.Null;
                    text = NullText;
                    break;
                default:
                    literal = JsonLiteral.Null;
                    return Declined;
            }
            for (int k = 1; k < text.Length; k++)
            {
                if (i + k >= end) return Short;
                if (bytes[i + k] != text[k]) return Declined;
            }
            return i + text.Length;
        }

        static readonly byte[] TrueText = Encoding.ASCII.GetBytes("true");
        static readonly byte[] FalseText = Encoding.ASCII.GetBytes("false");
        static readonly byte[] NullText = Encoding.ASCII.GetBytes("null");

        static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    }

    internal enum JsonLiteral
    {
        Null,
        True,
        False,
    }
}
