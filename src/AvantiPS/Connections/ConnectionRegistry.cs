using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AvantiPS.Connections
{
    /// <summary>
    /// The connections of each runspace, and which one is its default. Runspaces never share a default: two runspaces
    /// can work on two companies at once, and a runspace that never connected has no default until it connects or is
    /// handed a connection with -Connection (as in ForEach-Object -Parallel with $using:).
    /// </summary>
    internal static class ConnectionRegistry
    {
        static readonly ConditionalWeakTable<object, RunspaceConnections> Table = new ConditionalWeakTable<object, RunspaceConnections>();
        static readonly object ProcessKey = new object();

        static RunspaceConnections Current => Table.GetValue((object)Runspace.DefaultRunspace ?? ProcessKey, _ => new RunspaceConnections());

        public static void Add(AvantiConnection connection, bool makeDefault)
        {
            RunspaceConnections current = Current;
            lock (current)
            {
                current.All.Add(connection);
                if (makeDefault) current.Default = connection;
            }
        }

        public static AvantiConnection Default
        {
            get
            {
                RunspaceConnections current = Current;
                lock (current) return current.Default;
            }
        }

        public static IReadOnlyList<AvantiConnection> All
        {
            get
            {
                RunspaceConnections current = Current;
                lock (current) return current.All.ToArray();
            }
        }

        public static void Remove(AvantiConnection connection)
        {
            RunspaceConnections current = Current;
            lock (current)
            {
                current.All.Remove(connection);
                if (ReferenceEquals(current.Default, connection))
                {
                    current.Default = current.All.Count > 0 ? current.All[current.All.Count - 1] : null;
                }
            }
        }

        public static bool IsDefault(AvantiConnection connection) => ReferenceEquals(Default, connection);

        sealed class RunspaceConnections
        {
            public readonly List<AvantiConnection> All = new List<AvantiConnection>();
            public AvantiConnection Default;
        }
    }
}
