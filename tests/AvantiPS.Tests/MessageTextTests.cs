using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AvantiPS.Commands;
using AvantiPS.Http;
using Xunit;

namespace AvantiPS.Tests
{
    /// <summary>Messages read as sentences: one full stop, never two, never none before the next sentence.</summary>
    public class MessageTextTests
    {
        [Theory]
        [InlineData("Connection reset by peer", "Connection reset by peer.")]
        [InlineData("Valid Report ID is required.", "Valid Report ID is required.")]
        [InlineData("Valid Report ID is required.. ", "Valid Report ID is required.")]
        [InlineData("Is it there?", "Is it there?")]
        [InlineData("   ", "")]
        public void Sentence_ends_in_exactly_one_full_stop(string text, string expected)
        {
            Assert.Equal(expected, ErrorText.Sentence(text));
        }

        [Fact]
        public void No_message_string_in_the_module_has_a_doubled_period()
        {
            string source = Path.Combine(RepoRoot(), "src");
            // A word followed by two periods inside a string literal ("required.."); ".." on its own (a path segment) is fine.
            var doubled = new Regex("\"[^\"\\n]*[A-Za-z]\\.\\.(?:[^.][^\"\\n]*)?\"");
            var found = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
                .Where(f => f.IndexOf(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) < 0)
                .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
                .Where(x => doubled.IsMatch(x.line))
                .Select(x => Path.GetFileName(x.f) + ":" + (x.i + 1) + ": " + x.line.Trim())
                .ToArray();
            Assert.Empty(found);
        }

        [Theory]
        [InlineData(new[] { "pwsh", "-NonInteractive", "-File", "job.ps1" }, true)]
        [InlineData(new[] { "pwsh", "-noni", "-f", "job.ps1" }, true)]
        [InlineData(new[] { "powershell.exe", "-NoProfile", "/NonInteractive", "-Command", "x" }, true)]
        [InlineData(new[] { "pwsh", "-NoProfile", "-File", "job.ps1", "-NonInteractive" }, false)]
        [InlineData(new[] { "pwsh", "-NoProfile", "-nop" }, false)]
        [InlineData(new[] { "pwsh" }, false)]
        public void NonInteractive_switch_is_found_before_the_script(string[] args, bool expected)
        {
            Assert.Equal(expected, HostInteraction.HasNonInteractiveSwitch(args));
        }

        static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AvantiPS.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("AvantiPS.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
