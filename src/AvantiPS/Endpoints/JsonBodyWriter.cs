using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Text.Json;
using AvantiPS.Json;

namespace AvantiPS.Endpoints
{
    /// <summary>
    /// Serialises a request body given as a hashtable, PSObject or array to JSON with Utf8JsonWriter: dictionaries and
    /// objects become JSON objects, lists arrays, dates RFC 3339 date-times (<see cref="OutgoingDate"/>), byte[] base64 (OpenAPI format byte). A SecureString or
    /// PSCredential is refused rather than sent: a body must never carry a secret the user did not spell out.
    /// </summary>
    internal static class JsonBodyWriter
    {
        const int MaximumDepth = 64;

        /// <summary>
        /// Escapes only what JSON requires, so text goes out as written: a date's '+' stays '+', not \u002B (the body
        /// goes to an API, never into HTML, where the default encoder's extra escaping would matter).
        /// </summary>
        internal static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] Serialize(object body)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    Write(json, body, "$", 0);
                }
                return buffer.ToArray();
            }
        }

        static void Write(Utf8JsonWriter json, object value, string where, int depth)
        {
            if (depth > MaximumDepth)
            {
                throw new ArgumentException("The body is nested more than " + MaximumDepth + " levels deep at " + where + " (an object that refers to itself?).");
            }
            if (value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject))
            {
                value = wrapped.BaseObject;
            }
            switch (value)
            {
                case null:
                    json.WriteNullValue();
                    return;
                case DBNull _:
                    json.WriteNullValue();
                    return;
                case SecureString _:
                case PSCredential _:
                    throw new ArgumentException("The body holds a " + value.GetType().Name + " at " + where + ". Secrets are not sent in request bodies; if the API really needs the value, convert it to plain text yourself.");
                case string text:
                    json.WriteStringValue(text);
                    return;
                case char c:
                    json.WriteStringValue(c.ToString());
                    return;
                case bool b:
                    json.WriteBooleanValue(b);
                    return;
                case SwitchParameter s:
                    json.WriteBooleanValue(s.IsPresent);
                    return;
                case DateTime _:
                case DateTimeOffset _:
                    // Every request-body date of Avanti's contract is a date-time.
                    OutgoingDate.TryFormat(value, false, out string date);
                    json.WriteStringValue(date);
                    return;
                case Guid guid:
                    json.WriteStringValue(guid.ToString());
                    return;
                case Enum e:
                    json.WriteNumberValue(Convert.ToInt64(e, CultureInfo.InvariantCulture));
                    return;
                case byte[] bytes:
                    json.WriteBase64StringValue(bytes);
                    return;
                case int i:
                    json.WriteNumberValue(i);
                    return;
                case long l:
                    json.WriteNumberValue(l);
                    return;
                case short sh:
                    json.WriteNumberValue(sh);
                    return;
                case byte by:
                    json.WriteNumberValue(by);
                    return;
                case sbyte sb:
                    json.WriteNumberValue(sb);
                    return;
                case ushort us:
                    json.WriteNumberValue(us);
                    return;
                case uint ui:
                    json.WriteNumberValue(ui);
                    return;
                case ulong ul:
                    json.WriteNumberValue(ul);
                    return;
                case float f:
                    json.WriteNumberValue(f);
                    return;
                case double d:
                    json.WriteNumberValue(d);
                    return;
                case decimal m:
                    json.WriteNumberValue(m);
                    return;
                case System.Numerics.BigInteger big:
                    using (JsonDocument number = JsonDocument.Parse(big.ToString(CultureInfo.InvariantCulture)))
                    {
                        number.RootElement.WriteTo(json);
                    }
                    return;
                case IDictionary dictionary:
                    json.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
                        json.WritePropertyName(name);
                        Write(json, entry.Value, where + "." + name, depth + 1);
                    }
                    json.WriteEndObject();
                    return;
                case IEnumerable list:
                    json.WriteStartArray();
                    int index = 0;
                    foreach (object item in list)
                    {
                        Write(json, item, where + "[" + index++ + "]", depth + 1);
                    }
                    json.WriteEndArray();
                    return;
            }

            PSObject obj = PSObject.AsPSObject(value);
            json.WriteStartObject();
            foreach (PSPropertyInfo property in obj.Properties)
            {
                if (!property.IsGettable) continue;
                json.WritePropertyName(property.Name);
                object propertyValue;
                try
                {
                    propertyValue = property.Value;
                }
                catch (GetValueException)
                {
                    propertyValue = null;
                }
                Write(json, propertyValue, where + "." + property.Name, depth + 1);
            }
            json.WriteEndObject();
        }
    }
}
