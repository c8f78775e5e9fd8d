using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace AvantiPS.Loading
{
    /// <summary>
    /// The assemblies the module ships, and the answer to ".NET Framework could not bind this reference: is it ours?".
    /// Windows PowerShell cannot take binding redirects from a module, so a reference to System.Buffers 4.0.2.0 fails
    /// when the folder holds 4.0.3.0. This type answers such a request with the module's own file, but only for a
    /// name the module ships, only when the shipped version is the one asked or newer (the same promise a binding
    /// redirect to a newer version makes), and only when the public key token matches. Anything else is left to the
    /// runtime and to other modules' handlers.
    /// </summary>
    internal sealed class ShippedAssemblies
    {
        readonly Dictionary<string, ShippedAssembly> byName;

        ShippedAssemblies(Dictionary<string, ShippedAssembly> byName)
        {
            this.byName = byName;
        }

        /// <summary>The assemblies in the given folders; the first folder wins when two ship the same name.</summary>
        public static ShippedAssemblies FromFolders(params string[] folders)
        {
            var byName = new Dictionary<string, ShippedAssembly>(StringComparer.OrdinalIgnoreCase);
            foreach (string folder in folders.Where(Directory.Exists))
            {
                foreach (string path in Directory.GetFiles(folder, "*.dll"))
                {
                    AssemblyName name;
                    try
                    {
                        name = AssemblyName.GetAssemblyName(path);
                    }
                    catch (BadImageFormatException)
                    {
                        continue; // not a managed assembly
                    }
                    if (!byName.ContainsKey(name.Name)) byName.Add(name.Name, new ShippedAssembly(path, name));
                }
            }
            return new ShippedAssemblies(byName);
        }

        /// <summary>The simple names this module answers for.</summary>
        public IEnumerable<string> Names => byName.Keys;

        /// <summary>The shipped identity of a name, or null when the module does not ship it.</summary>
        public AssemblyName Shipped(string simpleName) => byName.TryGetValue(simpleName, out ShippedAssembly a) ? a.Name : null;

        /// <summary>
        /// The path of the module's copy that satisfies <paramref name="requested"/>, or null when the module does not
        /// ship that name, ships an older version than asked, or ships one signed with another key.
        /// </summary>
        public string Resolve(AssemblyName requested)
        {
            if (requested == null || string.IsNullOrEmpty(requested.Name)) return null;
            if (!byName.TryGetValue(requested.Name, out ShippedAssembly shipped)) return null;
            if (requested.Version != null && shipped.Name.Version < requested.Version) return null;
            byte[] askedToken = requested.GetPublicKeyToken();
            if (askedToken != null && askedToken.Length > 0 && !askedToken.SequenceEqual(shipped.Name.GetPublicKeyToken() ?? Array.Empty<byte>()))
            {
                return null;
            }
            return shipped.Path;
        }

        sealed class ShippedAssembly
        {
            public ShippedAssembly(string path, AssemblyName name)
            {
                Path = path;
                Name = name;
            }

            public string Path { get; }

            public AssemblyName Name { get; }
        }
    }
}
