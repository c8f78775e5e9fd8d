using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Opens a temporary file that nobody else can read and that nothing can leave behind, not even a killed
    /// process: on Unix it is created owner-only (mkstemp gives 0600) and unlinked at once, so only the open handle
    /// keeps it; on Windows it is deleted when its last handle closes, which the system does for a killed process.
    /// </summary>
    internal static class SpoolFile
    {
        public static FileStream Open()
        {
            if (Environment.OSVersion.Platform == PlatformID.Unix || Environment.OSVersion.Platform == PlatformID.MacOSX)
            {
                return OpenUnix();
            }
            string path = Path.Combine(Path.GetTempPath(), "AvantiPS-" + Guid.NewGuid().ToString("N") + ".spool");
            return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        }

        static FileStream OpenUnix()
        {
            byte[] template = Encoding.UTF8.GetBytes(Path.Combine(Path.GetTempPath(), "AvantiPS-XXXXXX.spool") + "\0");
            int descriptor = mkstemps(template, ".spool".Length);
            if (descriptor < 0)
            {
                throw new IOException("Could not create a temporary file in " + Path.GetTempPath() + " (error " + Marshal.GetLastWin32Error() + ").");
            }
            var handle = new SafeFileHandle(new IntPtr(descriptor), ownsHandle: true);
            try
            {
                // From here on the file has no name: the handle is all there is, and closing it (or dying) frees it.
                if (unlink(template) != 0)
                {
                    throw new IOException("Could not unlink the temporary file (error " + Marshal.GetLastWin32Error() + ").");
                }
                return new FileStream(handle, FileAccess.ReadWrite, 1 << 16);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        [DllImport("libc", SetLastError = true)]
        static extern int mkstemps(byte[] template, int suffixLength);

        [DllImport("libc", SetLastError = true)]
        static extern int unlink(byte[] path);
    }
}
