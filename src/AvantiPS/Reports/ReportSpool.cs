using System;
using System.IO;
using System.Security.Cryptography;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Holds a report body between the download (which learns the column set) and the row pass (which needs it).
    /// Bodies up to <see cref="MemoryLimit"/> stay in memory; larger ones spill to a temporary file (see
    /// <see cref="SpoolFile"/>: owner-only, gone with the process) encrypted with a key that exists only in this
    /// process, so memory stays bounded and no readable HR data is ever on disk.
    /// </summary>
    internal sealed class ReportSpool : IDisposable
    {
        internal const int MemoryLimit = 64 * 1024 * 1024;
        MemoryStream memory = new MemoryStream();
        FileStream file;
        CryptoStream writer;
        Aes aes;

        public long Length { get; private set; }

        /// <summary>True once the body went to the encrypted temporary file.</summary>
        public bool OnDisk => file != null;

        public void Write(byte[] buffer, int offset, int count)
        {
            if (file == null && memory.Length + count > MemoryLimit)
            {
                SpillToDisk();
            }
            if (file == null) memory.Write(buffer, offset, count);
            else writer.Write(buffer, offset, count);
            Length += count;
        }

        void SpillToDisk()
        {
            aes = Aes.Create();
            aes.KeySize = 256;
            aes.GenerateKey();
            aes.GenerateIV();
            file = SpoolFile.Open();
            writer = new CryptoStream(new KeepOpenStream(file), aes.CreateEncryptor(), CryptoStreamMode.Write);
            memory.WriteTo(writer);
            memory = null;
        }

        /// <summary>The body when it is held in memory (no copy), for reading in place; false once it went to disk.</summary>
        public bool TryGetMemory(out ArraySegment<byte> body)
        {
            if (file == null && memory.TryGetBuffer(out body)) return true;
            body = default;
            return false;
        }

        /// <summary>Reads the body back from the start. Call once, after the last Write.</summary>
        public Stream OpenRead()
        {
            if (file == null)
            {
                memory.Position = 0;
                return new KeepOpenStream(memory);
            }
            writer.FlushFinalBlock();
            file.Position = 0;
            return new CryptoStream(new KeepOpenStream(file), aes.CreateDecryptor(), CryptoStreamMode.Read);
        }

        public void Dispose()
        {
            writer?.Dispose();
            file?.Dispose();
            aes?.Dispose();
            memory = null;
        }

        /// <summary>Lets a CryptoStream be disposed without closing the stream beneath it.</summary>
        sealed class KeepOpenStream : Stream
        {
            readonly Stream inner;

            public KeepOpenStream(Stream inner)
            {
                this.inner = inner;
            }

            public override bool CanRead => inner.CanRead;

            public override bool CanSeek => false;

            public override bool CanWrite => inner.CanWrite;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

            public override void Flush() => inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        }
    }
}
