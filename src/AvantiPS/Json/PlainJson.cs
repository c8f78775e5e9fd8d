using System;
using System.Runtime.CompilerServices;
using System.Text;
using AvantiPS.Loading;

namespace AvantiPS.Json
{
    /// <summary>
    /// The plain JSON that makes up nearly every report row, read straight from its UTF-8 bytes: strings without
    /// escapes, numbers of at most 18 digits without an exponent, true, false, null. Each method reads its token
    /// whole, or says that the bytes in hand end inside it (<see cref="Short"/>: read more and try again), or declines
    /// (<see cref="Declined"/>): on an escape, a control character, an exponent, more digits, bytes that are not
    /// UTF-8. A caller that meets a decline reads the same bytes again with Utf8JsonReader, which handles the rest of
    /// JSON and says what is wrong with bad JSON; so nothing here ever decides that JSON is invalid, and what it does
    /// read it reads exactly as Utf8JsonReader would.
    /// Why not Utf8JsonReader alone: a scheduled report runs once, in a fresh process, where the reader's code starts
    /// precompiled and is recompiled twice on the runtime's one background thread while the rows go by, and its first
    /// use mid-report kept postponing the optimisation of PowerShell's own per-object code. Read here, with code
    /// compiled optimised once (<see cref="HotPath"/>), a cold 100k-row Get-AvantiReport took 1.2 s instead of 1.45 s.
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
        /// string with an escape or a control character; <see cref="Short"/> for one that runs past <paramref name="end"/>.
        /// <paramref name="ascii"/> is false when the string has bytes beyond ASCII (then decode with <see cref="TryDecode"/>).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static int StringEnd(byte[] bytes, int i, int end, out bool ascii)
        {
            int high = 0;
            for (; i < end; i++)
            {
                byte b = bytes[i];
                if (b == (byte)'"')
                {
                    ascii = high < 0x80;
                    return i;
                }
                if (b == (byte)'\\' || b < 0x20)
                {
                    ascii = false;
                    return Declined;
                }
                high |= b;
            }
            ascii = false;
            return Short;
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
