using System;
using System.Text.Json;

namespace AvantiPS.Json
{
    /// <summary>
    /// The property names of the objects in one answer, each decoded once: a list of 50,000 employees names the same
    /// few properties 50,000 times, and decoding each again costs a string per property per object. Names are looked
    /// up by their UTF-8 bytes in a small table of the names met last; a name that is escaped, long, or not in the
    /// table is decoded as usual. Not thread-safe: one per reading.
    /// </summary>
    internal sealed class PropertyNames
    {
        const int Slots = 256;
        const int LongestKept = 64;
        readonly byte[][] keys = new byte[Slots][];
        readonly string[] names = new string[Slots];

        /// <summary>The name of the property at the reader (a PropertyName token).</summary>
        public string Read(ref Utf8JsonReader reader)
        {
            if (reader.HasValueSequence) return reader.GetString();
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            if (raw.Length > LongestKept || raw.IndexOf((byte)'\\') >= 0) return reader.GetString();
            int slot = Slot(raw);
            byte[] key = keys[slot];
            if (key != null && raw.SequenceEqual(key)) return names[slot];
            string name = reader.GetString();
            keys[slot] = raw.ToArray();
            names[slot] = name;
            return name;
        }

        static int Slot(ReadOnlySpan<byte> raw)
        {
            // FNV-1a: names differ mostly in their last letters, which every byte of the hash takes in.
            uint hash = 2166136261;
            foreach (byte b in raw)
            {
                hash = (hash ^ b) * 16777619;
            }
            return (int)((hash ^ (hash >> 16)) & (Slots - 1));
        }
    }
}
