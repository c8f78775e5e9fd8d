using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Gives many PSObjects one shared, read-only list of type names, the way PowerShell itself shares the type names
    /// of objects of one .NET type: a row whose TypeNames a user changes gets its own copy first. Inserting two names
    /// into each row's own list costs about as much as building the row's fifteen properties, so a large report
    /// saves seconds. Where PowerShell's internals differ (Windows PowerShell), rows get their names the public way.
    /// </summary>
    internal sealed class SharedTypeNames
    {
        static readonly Lazy<Sharing> Mechanism = new Lazy<Sharing>(Sharing.TryCreate);
        readonly object shared;
        readonly string[] names;

        public SharedTypeNames(params string[] names)
        {
            this.names = names;
            Sharing sharing = Mechanism.Value;
            if (sharing != null)
            {
                var all = new List<string>(names) { typeof(PSCustomObject).FullName, typeof(object).FullName };
                shared = sharing.Create(all);
            }
        }

        public void Apply(PSObject row)
        {
            if (shared != null)
            {
                Mechanism.Value.Assign(row, shared);
                return;
            }
            for (int i = names.Length - 1; i >= 0; i--) row.TypeNames.Insert(0, names[i]);
        }

        sealed class Sharing
        {
            public Func<List<string>, object> Create;
            public Action<PSObject, object> Assign;

            public static Sharing TryCreate()
            {
                try
                {
                    PropertyInfo property = typeof(PSObject).GetProperty("InternalTypeNames", BindingFlags.Instance | BindingFlags.NonPublic);
                    Type listType = property?.PropertyType;
                    ConstructorInfo constructor = listType?.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, null, new[] { typeof(IEnumerable<string>), typeof(bool) }, null);
                    if (constructor == null || property.SetMethod == null || !typeof(ICollection<string>).IsAssignableFrom(listType))
                    {
                        return null;
                    }
                    ParameterExpression row = Expression.Parameter(typeof(PSObject), "row");
                    ParameterExpression value = Expression.Parameter(typeof(object), "value");
                    Action<PSObject, object> assign = Expression.Lambda<Action<PSObject, object>>(
                        Expression.Assign(Expression.Property(row, property), Expression.Convert(value, listType)), row, value).Compile();
                    var sharing = new Sharing
                    {
                        // "interned": read-only, so PowerShell copies it before any change to one object's type names.
                        Create = names => constructor.Invoke(new object[] { names, true }),
                        Assign = assign,
                    };
                    // Prove it on a throwaway object before trusting it.
                    var probe = new PSObject();
                    sharing.Assign(probe, sharing.Create(new List<string> { "AvantiPS.Probe", typeof(PSCustomObject).FullName, typeof(object).FullName }));
                    if (probe.TypeNames[0] != "AvantiPS.Probe") return null;
                    return sharing;
                }
                catch (Exception)
                {
                    return null;
                }
            }
        }
    }
}
