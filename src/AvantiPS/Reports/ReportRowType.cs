using System;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Makes the class for one report's rows: AvantiPS.ReportRow#&lt;reportid&gt; (see <see cref="NameFor"/>), derived from <see cref="ReportRow"/>,
    /// with a read-write object property per column in column order and a constructor that takes the row's values.
    /// Classes are made once per report ID and column set and kept for the session; each lives in an assembly of
    /// its own, so two column sets of one report can both be named after it.
    /// </summary>
    internal static class ReportRowType
    {
        /// <summary>
        /// Members every PowerShell object has: object's methods and PowerShell's intrinsic members. A property of
        /// one of these names hides the member (PowerShell then finds no GetType() method, and Format-Table,
        /// Select-Object and Export-Csv skip or refuse the column), so such a column gets a trailing underscore.
        /// </summary>
        static readonly HashSet<string> ReservedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "GetType", "ToString", "Equals", "GetHashCode", "PSObject", "psbase", "psadapted", "psextended", "pstypenames",
        };

        static readonly Dictionary<string, Func<object[], object>> Factories = new Dictionary<string, Func<object[], object>>(StringComparer.Ordinal);
        static int assemblies;

        /// <summary>A factory that copies values[i] into column i of a new row; null when no class can be made.</summary>
        public static Func<object[], object> Factory(string reportId, IReadOnlyList<string> columns)
        {
            string typeName = NameFor(reportId);
            string key = typeName + "\n" + string.Join("\n", columns);
            lock (Factories)
            {
                if (!Factories.TryGetValue(key, out Func<object[], object> factory))
                {
                    factory = TryCreate(typeName, columns);
                    Factories[key] = factory;
                }
                return factory;
            }
        }

        /// <summary>
        /// The row type name for a report: AvantiPS.ReportRow#&lt;id&gt;, the ID in lower case (Avanti's report IDs
        /// ignore case) with every character other than a letter, a digit, '_' or '-' replaced by '_', so the name is
        /// the same however the ID was typed and a format or types file can name it as it reads.
        /// </summary>
        public static string NameFor(string reportId)
        {
            var name = new System.Text.StringBuilder(ReportRowBuilder.TypeName.Length + 1 + reportId.Length).Append(ReportRowBuilder.TypeName).Append('#');
            foreach (char c in reportId.Trim())
            {
                name.Append(char.IsLetterOrDigit(c) || c == '_' || c == '-' ? char.ToLowerInvariant(c) : '_');
            }
            return name.ToString();
        }

        /// <summary>
        /// The property name of each column: the column's own name, except that a name of a member every object has
        /// (<see cref="ReservedNames"/>) gets a trailing underscore (GetType_, PSObject_), more if the report also
        /// has a column of that name, so the row keeps its methods and PowerShell's members and formats like any object.
        /// </summary>
        public static string[] PropertyNames(IReadOnlyList<string> columns)
        {
            var names = new string[columns.Count];
            HashSet<string> taken = null;
            for (int i = 0; i < columns.Count; i++)
            {
                string name = columns[i];
                if (name != null && ReservedNames.Contains(name))
                {
                    taken = taken ?? new HashSet<string>(columns, StringComparer.OrdinalIgnoreCase);
                    do
                    {
                        name += "_";
                    }
                    while (taken.Contains(name));
                    taken.Add(name);
                }
                names[i] = name;
            }
            return names;
        }

        static Func<object[], object> TryCreate(string typeName, IReadOnlyList<string> columnNames)
        {
            try
            {
                string[] columns = PropertyNames(columnNames);
                foreach (string column in columns)
                {
                    if (string.IsNullOrEmpty(column)) return null;
                }
                var name = new AssemblyName("AvantiPS.ReportRows" + (++assemblies).ToString(System.Globalization.CultureInfo.InvariantCulture));
                AssemblyBuilder assembly = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.Run);
                ModuleBuilder module = assembly.DefineDynamicModule(name.Name);
                TypeBuilder type = module.DefineType(typeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(ReportRow));

                var fields = new FieldBuilder[columns.Length];
                const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig;
                for (int i = 0; i < columns.Length; i++)
                {
                    fields[i] = type.DefineField("column" + i, typeof(object), FieldAttributes.Private);
                    PropertyBuilder property = type.DefineProperty(columns[i], PropertyAttributes.None, typeof(object), null);

                    MethodBuilder get = type.DefineMethod("get_" + columns[i], accessor, typeof(object), Type.EmptyTypes);
                    ILGenerator il = get.GetILGenerator();
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Ldfld, fields[i]);
                    il.Emit(OpCodes.Ret);
                    property.SetGetMethod(get);

                    MethodBuilder set = type.DefineMethod("set_" + columns[i], accessor, null, new[] { typeof(object) });
                    il = set.GetILGenerator();
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Stfld, fields[i]);
                    il.Emit(OpCodes.Ret);
                    property.SetSetMethod(set);
                }

                ConstructorBuilder constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, new[] { typeof(object[]) });
                ILGenerator body = constructor.GetILGenerator();
                body.Emit(OpCodes.Ldarg_0);
                body.Emit(OpCodes.Call, typeof(ReportRow).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null, Type.EmptyTypes, null));
                for (int i = 0; i < columns.Length; i++)
                {
                    body.Emit(OpCodes.Ldarg_0);
                    body.Emit(OpCodes.Ldarg_1);
                    body.Emit(OpCodes.Ldc_I4, i);
                    body.Emit(OpCodes.Ldelem_Ref);
                    body.Emit(OpCodes.Stfld, fields[i]);
                }
                body.Emit(OpCodes.Ret);

                Type made = type.CreateTypeInfo().AsType();
                ParameterExpression values = Expression.Parameter(typeof(object[]), "values");
                return Expression.Lambda<Func<object[], object>>(Expression.New(made.GetConstructor(new[] { typeof(object[]) }), values), values).Compile();
            }
            catch (Exception)
            {
                // A column name the runtime will not take as a property name: rows fall back to PSCustomObjects.
                return null;
            }
        }
    }
}
