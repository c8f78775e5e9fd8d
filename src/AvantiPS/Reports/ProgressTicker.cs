using System.Diagnostics;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Says when to report progress: every quarter second, and also at every step of a count (bytes or rows), so a
    /// long report shows progress however fast the machine reads it.
    /// </summary>
    internal sealed class ProgressTicker
    {
        const long IntervalMilliseconds = 250;
        readonly Stopwatch clock = Stopwatch.StartNew();
        readonly long step;
        long next;

        public ProgressTicker(long step)
        {
            this.step = step;
            next = step;
        }

        /// <summary>Bytes between two reports at most, while downloading.</summary>
        public const long ByteStep = 16L * 1024 * 1024;

        /// <summary>Rows between two reports at most, while writing rows.</summary>
        public const long RowStep = 50000;

        public bool Due(long count)
        {
            if (count >= next)
            {
                next = (count / step + 1) * step;
            }
            else if (clock.ElapsedMilliseconds < IntervalMilliseconds)
            {
                return false;
            }
            clock.Restart();
            return true;
        }
    }
}
