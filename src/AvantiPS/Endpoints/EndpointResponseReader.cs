using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using AvantiPS.Http;
using AvantiPS.Json;

namespace AvantiPS.Endpoints
{
    /// <summary>How Invoke-AvantiEndpoint hands out an answer.</summary>
    internal enum EndpointOutput
    {
        /// <summary>JSON as objects (an array unrolled), text as a string, anything else as one byte[].</summary>
        Objects,

        /// <summary>The body as one string (byte[] when it is binary).</summary>
        Raw,

        /// <summary>The body written to a file; nothing output.</summary>
        File,
    }

    /// <summary>
    /// Turns a successful answer into what the cmdlet writes: JSON array elements one by one as they are parsed from
    /// the network stream, a JSON object as one PSCustomObject, nothing for an answer without a body.
    /// </summary>
    internal static class EndpointResponseReader
    {
        public static IEnumerable<object> Read(AvantiResponse response, EndpointOutput output, string outFile, bool expectsBinary, RequestLog log, CancellationToken cancellationToken)
        {
            string what = response.Request.ToString();
            if (!response.HasBody)
            {
                if (response.StatusCode == 200) log.Warning("Avanti answered " + what + " with 200 and an empty body: there is nothing to output.");
                if (output == EndpointOutput.File) log.Warning("Nothing was written to " + outFile + ": the answer has no body.");
                yield break;
            }

            using (Stream body = response.OpenBody(cancellationToken))
            {
                if (output == EndpointOutput.File)
                {
                    long written = AtomicFile.Write(body, outFile, cancellationToken);
                    log.Verbose("Wrote " + written + " bytes (" + (response.MediaType ?? "no content type") + ") to " + outFile + ".");
                    yield break;
                }

                bool json = response.IsJson || (response.MediaType == null && !expectsBinary);
                if (output == EndpointOutput.Raw || !json)
                {
                    byte[] bytes = ReadAll(body);
                    if (bytes.Length == 0)
                    {
                        if (response.StatusCode == 200) log.Warning("Avanti answered " + what + " with 200 and an empty body: there is nothing to output.");
                        yield break;
                    }
                    if (json || response.IsText)
                    {
                        yield return Decode(bytes, response);
                    }
                    else
                    {
                        log.Verbose("The answer is " + (response.MediaType ?? "untyped") + ", " + bytes.Length + " bytes: written as one byte[] (use -OutFile to save it).");
                        yield return bytes;
                    }
                    yield break;
                }

                var reader = new JsonStreamReader<object>(body, JsonValueConverter.ReadValue);
                while (true)
                {
                    object value;
                    try
                    {
                        if (!reader.TryRead(out value)) break;
                    }
                    catch (JsonIncompleteException ex)
                    {
                        throw new AvantiResponseException("The answer to " + what + " is incomplete: " + ex.Message.TrimEnd('.') + ". " + reader.Count + " objects were written before this error.", ex, ResponseFailure.Incomplete);
                    }
                    catch (JsonInvalidException ex)
                    {
                        throw new AvantiResponseException("The answer to " + what + " could not be read: " + ex.Message.TrimEnd('.') + " (content type " + (response.MediaType ?? "none") + "). " + reader.Count + " objects were written before this error.", ex, ResponseFailure.InvalidJson);
                    }
                    yield return value;
                }
                if (reader.WasEmpty && response.StatusCode == 200)
                {
                    log.Warning("Avanti answered " + what + " with 200 and an empty body: there is nothing to output.");
                }
            }
        }

        static byte[] ReadAll(Stream body)
        {
            using (var buffer = new MemoryStream())
            {
                body.CopyTo(buffer, 81920);
                return buffer.ToArray();
            }
        }

        static string Decode(byte[] bytes, AvantiResponse response)
        {
            Encoding encoding = new UTF8Encoding(false);
            string charset = response.CharSet;
            if (!string.IsNullOrEmpty(charset))
            {
                try
                {
                    encoding = Encoding.GetEncoding(charset.Trim('"'));
                }
                catch (ArgumentException)
                {
                }
            }
            string text = encoding.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text;
        }
    }

    /// <summary>Writes a download to a temporary file beside the target and moves it into place only once complete.</summary>
    internal static class AtomicFile
    {
        public static long Write(Stream source, string path, CancellationToken cancellationToken)
        {
            string full = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(full);
            if (!Directory.Exists(directory))
            {
                throw new ArgumentException("-OutFile: the folder " + directory + " does not exist.");
            }
            string temporary = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            long written = 0;
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                {
                    byte[] chunk = new byte[81920];
                    int read;
                    while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        file.Write(chunk, 0, read);
                        written += read;
                    }
                    file.Flush(true);
                }
                if (File.Exists(full))
                {
                    File.Replace(temporary, full, null);
                }
                else
                {
                    File.Move(temporary, full);
                }
                return written;
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }
            }
        }
    }
}
