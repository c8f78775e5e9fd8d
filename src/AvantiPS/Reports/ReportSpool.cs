using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using AvantiPS.Loading;

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

        // Blocks of a fixed size: no copy as the body grows, no array twice the body's size, and nothing on the
        // large object heap is kept longer than the spool.
        const int BlockSize = 1024 * 1024;
        List<byte[]> blocks = new List<byte[]>();
        FileStream file;
        CryptoStream writer;
        Aes aes;

        public long Length { get; private set; }

        /// <summary>True once the body went to the encrypted temporary file.</summary>
        public bool OnDisk => file != null;

        [MethodImpl(HotPath.Optimized)]
        public void Write(byte[] buffer, int offset, int count)
        {
            if (file == null && Length + count > MemoryLimit)
            {
                SpillToDisk();
            }
            if (file != null)
            {
                writer.Write(buffer, offset, count);
            }
            else
            {
                while (count > 0)
                {
                    int used = (int)(Length % BlockSize);
                    if (used == 0) blocks.Add(new byte[BlockSize]);
                    int n = Math.Min(count, BlockSize - used);
                    Buffer.BlockCopy(buffer, offset, blocks[blocks.Count - 1], used, n);
                    offset += n;
                    count -= n;
                    Length += n;
                }
                return;
            }
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
            long left = Length;
            foreach (byte[] block in blocks)
            {
                int n = (int)Math.Min(left, BlockSize);
                writer.Write(block, 0, n);
                left -= n;
            }
            blocks = null;
        }

        /// <summary>Reads the body back from the start. Call once, after the last Write.</summary>
        public Stream OpenRead()
        {
            if (file == null)
            {
                return new BlockStream(blocks, Length);
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
            blocks = null;
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

            [MethodImpl(HotPath.Optimized)]
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        }

        /// <summary>Reads the blocks held in memory in order.</summary>
        sealed class BlockStream : Stream
        {
            readonly List<byte[]> blocks;
            readonly long length;
            long position;

            public BlockStream(List<byte[]> blocks, long length)
            {
                this.blocks = blocks;
                this.length = length;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => length;

            public override long Position { get => position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int total = 0;
                while (count > 0 && position < length)
                {
                    int at = (int)(position % BlockSize);
                    int n = (int)Math.Min(Math.Min(count, BlockSize - at), length - position);
                    Buffer.BlockCopy(blocks[(int)(position / BlockSize)], at, buffer, offset, n);
                    position += n;
                    offset += n;
                    count -= n;
                    total += n;
                }
                return total;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
