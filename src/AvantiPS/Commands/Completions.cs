using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace AvantiPS.Commands
{
    /// <summary>What the module's argument completers share: which candidates match what was typed, and quoting.</summary>
    internal static class Completions
    {
        /// <summary>What was typed, without the quotes a user may have started.</summary>
        public static string Typed(string wordToComplete) => (wordToComplete ?? string.Empty).Trim('\'', '"');

        /// <summary>The candidates that start with what was typed, else those that contain it (case-insensitive).</summary>
        public static IEnumerable<T> Matching<T>(IEnumerable<T> candidates, Func<T, string> text, string typed)
        {
            List<T> all = candidates.ToList();
            List<T> starting = all.Where(c => text(c).StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
            return starting.Count > 0 ? starting : all.Where(c => text(c).IndexOf(typed, StringComparison.OrdinalIgnoreCase) >= 0);
        }

        /// <summary>The text as one argument: single-quoted when it holds characters PowerShell would read otherwise.</summary>
        public static string Quote(string text) =>
            text.IndexOfAny(new[] { '{', '}', ' ', '\'', '$', '`', '(', ')', ';', ',', '@', '#' }) >= 0 ? "'" + text.Replace("'", "''") + "'" : text;

        /// <summary>A parameter already typed on the command line (a string), or null.</summary>
        public static string Bound(IDictionary fakeBoundParameters, string name)
        {
            object value = fakeBoundParameters != null && fakeBoundParameters.Contains(name) ? fakeBoundParameters[name] : null;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value as string;
        }
    }
}
