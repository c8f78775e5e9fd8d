using System;
using System.Collections;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace AvantiPS.Tests
{
    /// <summary>A body that arrives in reads of at most <c>most</c> bytes, as a slow network hands it over.</summary>
    internal sealed class TrickleStream : MemoryStream
    {
        readonly int most;

        public TrickleStream(byte[] data, int most) : base(data)
        {
            this.most = most;
        }

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));
    }

    /// <summary>
    /// A value as text that shows what ToString hides: Decimal scale, DateTime kind, offset, the type of every value,
    /// property names and their order; two values read two ways are the same when these are.
    /// </summary>
    internal static class Exact
    {
        public static string Of(object value)
        {
            switch (value)
            {
                case null:
                    return "null";
                case decimal d:
                    return "decimal " + string.Join(",", decimal.GetBits(d));
                case DateTime t:
                    return "DateTime " + t.Ticks + " " + t.Kind;
                case DateTimeOffset o:
                    return "DateTimeOffset " + o.Ticks + " " + o.Offset;
                case PSObject p:
                    return "{" + string.Join(";", p.Properties.Select(x => x.Name + "=" + Of(x.Value))) + "}";
                case OrderedDictionary h:
                    return "@{" + string.Join(";", h.Cast<DictionaryEntry>().Select(e => e.Key + "=" + Of(e.Value))) + "}";
                case object[] a:
                    return "[" + string.Join(";", a.Select(Of)) + "]";
                default:
                    return value.GetType().Name + " " + value;
            }
        }
    }
}
