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

    /// <summary>What Invoke-AvantiEndpoint asked for: how to hand out the answer, and where to save it.</summary>
    internal sealed class EndpointReading
    {
        public EndpointOutput Output { get; set; }

        /// <summary>-OutFile, resolved: a file, or an existing folder to save into under the answer's file name.</summary>
        public string OutFile { get; set; }

        /// <summary>With -OutFile: also write the saved answer as objects (-PassThru).</summary>
        public bool PassThru { get; set; }

        /// <summary>The catalog expects a binary answer (a PDF, a photo).</summary>
        public bool ExpectsBinary { get; set; }

        JsonValueConverter converter;

        /// <summary>How JSON values become PowerShell values (-DateKind, -AsHashtable); the defaults when not set.</summary>
        public JsonValueConverter Converter
        {
            get => converter ?? (converter = JsonValueConverter.Default);
            set => converter = value;
        }
    }

    /// <summary>
    /// Turns an answer into what the cmdlet writes: JSON array elements one by one as they are parsed from
    /// the network stream, a JSON object as one PSCustomObject (or ordered hashtable), nothing for an answer without a body.
    /// </summary>
    internal static class EndpointResponseReader
    {
        public static IEnumerable<object> Read(AvantiResponse response, EndpointReading reading, RequestLog log, CancellationToken cancellationToken)
        {
            string what = response.Request.ToString();
            if (!response.HasBody)
            {
                if (response.StatusCode == 200) log.Warning("Avanti answered " + what + " with 200 and an empty body: there is nothing to output.");
                if (reading.Output == EndpointOutput.File) log.Warning("Nothing was written to " + reading.OutFile + ": the answer has no body.");
                yield break;
            }

            using (Stream body = response.OpenBody(cancellationToken))
            {
                if (reading.Output != EndpointOutput.File)
                {
                    foreach (object value in Convert(body, response, reading, reading.Output, log)) yield return value;
                    yield break;
                }
                string file = DownloadFile.Target(reading.OutFile, response);
                long written = AtomicFile.Write(body, file, cancellationToken);
                log.Verbose("Wrote " + written + " bytes (" + (response.MediaType ?? "no content type") + ") to " + file + ".");
                if (!reading.PassThru) yield break;
                using (Stream saved = File.OpenRead(file))
                {
                    foreach (object value in Convert(saved, response, reading, EndpointOutput.Objects, log)) yield return value;
                }
            }
        }

        static IEnumerable<object> Convert(Stream body, AvantiResponse response, EndpointReading reading, EndpointOutput output, RequestLog log)
        {
            string what = response.Request.ToString();
            bool json = response.IsJson || (response.MediaType == null && !reading.ExpectsBinary);
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

            var reader = new JsonStreamReader<object>(body, reading.Converter.ReadValue);
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

    /// <summary>Where -OutFile saves an answer: the file given, or for an existing folder, a file in it named by the answer.</summary>
    internal static class DownloadFile
    {
        /// <summary>
        /// The path to write. For a folder (as Invoke-RestMethod 7.4): the Content-Disposition file name, else the
        /// URL's last segment, reduced to a plain file name so a header cannot point outside the folder.
        /// </summary>
        public static string Target(string outFile, AvantiResponse response)
        {
            if (!Directory.Exists(outFile)) return outFile;
            string name = SafeName(response.SuggestedFileName) ?? SafeName(LastSegment(response.Request.Path));
            if (name == null)
            {
                throw new EndpointArgumentException("AvantiOutFileName", "-OutFile " + outFile + " is a folder, and the answer to " + response.Request + " names no usable file name. Give a file path, such as " + Path.Combine(outFile, "answer.json") + ".");
            }
            return Path.Combine(outFile, name);
        }

        /// <summary>The last part of a name after any / or \, without characters no file system takes; null when nothing usable is left.</summary>
        internal static string SafeName(string suggested)
        {
            if (string.IsNullOrWhiteSpace(suggested)) return null;
            string name = suggested.Replace('\\', '/');
            name = name.Substring(name.LastIndexOf('/') + 1);
            var invalid = new HashSet<char>(Path.GetInvalidFileNameChars()) { '<', '>', ':', '"', '|', '?', '*' };
            var kept = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (!invalid.Contains(c) && !char.IsControl(c)) kept.Append(c);
            }
            name = kept.ToString().Trim().TrimEnd('.', ' ');
            if (name.Length == 0 || name.Trim('.').Length == 0) return null;
            return name.Length > 200 ? name.Substring(name.Length - 200) : name;
        }

        static string LastSegment(string path)
        {
            string[] segments = (path ?? string.Empty).Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            return segments.Length == 0 ? null : Uri.UnescapeDataString(segments[segments.Length - 1]);
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
