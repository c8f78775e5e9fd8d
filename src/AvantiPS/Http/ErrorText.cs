using System;
using System.Text;

namespace AvantiPS.Http
{
    /// <summary>
    /// How error messages quote what went wrong: the innermost exception's message (the socket or TLS reason, not
    /// the wrapper's), and a short, single-line excerpt of a body that was not what was expected.
    /// </summary>
    internal static class ErrorText
    {
        /// <summary>The message of the innermost exception; "no answer" when there is none.</summary>
        public static string Innermost(Exception exception)
        {
            if (exception == null) return "no answer";
            while (exception.InnerException != null) exception = exception.InnerException;
            return exception.Message;
        }

        /// <summary>
        /// Text as one sentence to build on: trimmed, ending in exactly one full stop (or its own ! or ?), so a
        /// message that already ends in a period never gets a second one and one that does not gets one.
        /// </summary>
        public static string Sentence(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return string.Empty;
            string trimmed = text.Trim().TrimEnd('.').TrimEnd();
            if (trimmed.Length == 0) return string.Empty;
            char last = trimmed[trimmed.Length - 1];
            return last == '!' || last == '?' ? trimmed : trimmed + ".";
        }

        /// <summary>At most 120 characters of a body, whitespace and control characters folded into single spaces.</summary>
        public static string Excerpt(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return "empty body";
            var sb = new StringBuilder();
            bool space = false;
            foreach (char c in text)
            {
                if (sb.Length >= 120) { sb.Append('…'); break; }
                if (char.IsWhiteSpace(c) || char.IsControl(c)) { space = sb.Length > 0; continue; }
                if (space) { sb.Append(' '); space = false; }
                sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
