using System;
using System.IO;

namespace AvantiPS.Reports
{
    /// <summary>
    /// A file written under a temporary name beside its target and renamed over the target only when complete: on
    /// any failure, Ctrl+C included, the target is as it was and the temporary file is deleted.
    /// </summary>
    internal sealed class AtomicFile : IDisposable
    {
        readonly string target;
        readonly string temporary;
        readonly bool overwrite;
        readonly FileStream stream;
        bool committed;

        /// <param name="target">The full path of the file to write.</param>
        /// <param name="overwrite">False: the target must not exist when the file is committed (-NoClobber).</param>
        public AtomicFile(string target, bool overwrite)
        {
            this.target = target;
            this.overwrite = overwrite;
            string folder = Path.GetDirectoryName(target);
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
            {
                throw new ReportFileException(ReportFileError.FolderNotFound, "The folder of '" + target + "' does not exist. Create it first, or give a path in an existing folder.");
            }
            temporary = Path.Combine(folder, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            try
            {
                stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ReportFileException(ReportFileError.WriteFailed, "Cannot write in the folder of '" + target + "': " + ex.Message, ex);
            }
        }

        public Stream Stream => stream;

        /// <summary>Closes the file and gives it the target's name, replacing any old file in one step.</summary>
        public void Commit()
        {
            stream.Dispose();
            try
            {
                if (overwrite && File.Exists(target))
                {
                    File.Replace(temporary, target, null);
                }
                else
                {
                    File.Move(temporary, target);
                }
            }
            catch (IOException ex) when (!overwrite && File.Exists(target))
            {
                throw new ReportFileException(ReportFileError.Exists, "'" + target + "' was created while the report was written; -NoClobber leaves it as it is.", ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ReportFileException(ReportFileError.WriteFailed, "Cannot replace '" + target + "': " + ex.Message, ex);
            }
            committed = true;
        }

        public void Dispose()
        {
            stream.Dispose();
            if (committed) return;
            try
            {
                File.Delete(temporary);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Nothing more can be done; the name says it is partial.
            }
        }
    }

    /// <summary>Why a report file could not be written.</summary>
    public enum ReportFileError
    {
        /// <summary>The file exists and -NoClobber was given.</summary>
        Exists,

        /// <summary>The file is read-only and -Force was not given.</summary>
        ReadOnly,

        /// <summary>The target's folder does not exist.</summary>
        FolderNotFound,

        /// <summary>The file system refused the write or the rename.</summary>
        WriteFailed,
    }

    /// <summary>A report file that could not be written; the target file is as it was.</summary>
    public sealed class ReportFileException : IOException
    {
        public ReportFileException(ReportFileError error, string message, Exception inner = null) : base(message, inner)
        {
            Error = error;
        }

        public ReportFileError Error { get; }
    }
}
