using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AvantiPS.Catalog;
using AvantiPS.Http;

namespace AvantiPS.Endpoints
{
    /// <summary>
    /// Reads every page of an operation that pages with skip and take (Invoke-AvantiEndpoint -All): builds the
    /// request for each page from the call, passes each page's items on as they arrive, and stops on a short or empty
    /// page or once skip reaches the answer's latest total. Each page is one request, retried by the pipeline as any
    /// safe request is; a consumer that stops reading stops the paging. A page that begins with the very item the
    /// page before began with means the server ignored skip: it would answer the same full page forever, so the
    /// paging stops there with an error (AvantiResponseRepeatedPage) before that page's items are passed on.
    /// </summary>
    internal sealed class EndpointPager
    {
        readonly AvantiRequest first;
        readonly AvantiEndpoint operation;
        readonly OrderedDictionary bodyFields;
        long skip;
        long? total;
        bool done;
        string previousFirst;

        /// <summary>Checks that the call can be paged; an EndpointArgumentException (AvantiNotPaged) says why not.</summary>
        public EndpointPager(EndpointCall call, int pageSize)
        {
            if (pageSize < 1) throw new ArgumentOutOfRangeException(nameof(pageSize));
            operation = call.Operation;
            first = call.Request;
            PageSize = pageSize;
            if (operation == null || !operation.CanPage)
            {
                throw new EndpointArgumentException("AvantiNotPaged", NotPagedMessage(call));
            }
            if (operation.Paging == EndpointPaging.Query)
            {
                string given = first.Query.Select(q => q.Key).FirstOrDefault(IsPagingName);
                if (given != null) throw new ArgumentException("-All sets " + given + " for each page; leave skip and take out of -Query (-PageSize sets the page size).");
            }
            else
            {
                bodyFields = BodyFields(call.BodyValue, operation);
                string given = bodyFields.Keys.Cast<string>().FirstOrDefault(IsPagingName);
                if (given != null) throw new ArgumentException("-All sets " + given + " for each page; leave skip and take out of -Body (-PageSize sets the page size).");
                // Ask for the total too, so the paging can stop at it without one more request.
                if (operation.PageTotalProperty != null && !bodyFields.Keys.Cast<string>().Any(k => string.Equals(k, "total", StringComparison.OrdinalIgnoreCase)))
                {
                    bodyFields["total"] = true;
                }
            }
        }

        public int PageSize { get; }

        /// <summary>Requests built so far (pages asked for).</summary>
        public int Pages { get; private set; }

        /// <summary>Items passed on so far.</summary>
        public long ItemCount { get; private set; }

        /// <summary>The request for the next page, or null when the last page has been read.</summary>
        public AvantiRequest NextRequest()
        {
            if (done) return null;
            AvantiRequest page = first.Copy();
            string skipText = skip.ToString(CultureInfo.InvariantCulture);
            string takeText = PageSize.ToString(CultureInfo.InvariantCulture);
            if (bodyFields == null)
            {
                page.Query.Add(new KeyValuePair<string, string>("skip", skipText));
                page.Query.Add(new KeyValuePair<string, string>("take", takeText));
            }
            else
            {
                bodyFields["skip"] = skip;
                bodyFields["take"] = PageSize;
                page.Body = JsonBodyWriter.Serialize(bodyFields);
                page.ContentType = first.Body != null ? first.ContentType : "application/json";
            }
            Pages++;
            return page;
        }

        /// <summary>
        /// The items of one page's answer (the answer's elements, or each element of its items property), passed on
        /// one by one; once the page has been read to its end, decides whether another page follows.
        /// </summary>
        public IEnumerable<object> Items(IEnumerable<object> answer)
        {
            long received = 0;
            foreach (object value in answer)
            {
                if (operation.PageItemsProperty == null)
                {
                    if (received == 0) CheckNotRepeated(value);
                    received++;
                    yield return value;
                    continue;
                }
                if (operation.PageTotalProperty != null && ToCount(Member(value, operation.PageTotalProperty)) is long count) total = count;
                object items = Member(value, operation.PageItemsProperty);
                if (items is PSObject wrapped) items = wrapped.BaseObject;
                if (items is IEnumerable list && !(items is string) && !(items is IDictionary))
                {
                    foreach (object item in list)
                    {
                        if (received == 0) CheckNotRepeated(item);
                        received++;
                        yield return item;
                    }
                }
            }
            skip += received;
            ItemCount += received;
            if (received < PageSize || (total is long known && skip >= known)) done = true;
        }

        /// <summary>Stops the paging when this page begins with the item the previous (full) page began with.</summary>
        void CheckNotRepeated(object first)
        {
            string fingerprint = Fingerprint(first);
            if (Pages > 1 && fingerprint == previousFirst)
            {
                throw new AvantiResponseException(
                    "Page " + Pages + " of " + operation + " (skip " + skip + ") began with the same item as page " + (Pages - 1) + ": Avanti seems to ignore skip, and -All would read the same page again and again. "
                    + ItemCount + " items were written before this error; do not use them as the whole list.",
                    null,
                    ResponseFailure.RepeatedPage);
            }
            previousFirst = fingerprint;
        }

        /// <summary>An item's content as text (names and values, nested up to a few levels), to compare two items.</summary>
        static string Fingerprint(object item)
        {
            var text = new System.Text.StringBuilder();
            AppendValue(text, item, 0);
            return text.ToString();
        }

        static void AppendValue(System.Text.StringBuilder text, object value, int depth)
        {
            if (value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject)) value = wrapped.BaseObject;
            if (depth > 4)
            {
                text.Append('…');
                return;
            }
            switch (value)
            {
                case null:
                    text.Append("null");
                    break;
                case string s:
                    text.Append('"').Append(s).Append('"');
                    break;
                case PSObject custom:
                    AppendMembers(text, custom.Properties.Select(p => new KeyValuePair<object, object>(p.Name, p.Value)), depth);
                    break;
                case IDictionary dictionary:
                    AppendMembers(text, dictionary.Cast<DictionaryEntry>().Select(e => new KeyValuePair<object, object>(e.Key, e.Value)), depth);
                    break;
                case IEnumerable list:
                    text.Append('[');
                    foreach (object element in list)
                    {
                        AppendValue(text, element, depth + 1);
                        text.Append(',');
                    }
                    text.Append(']');
                    break;
                case IFormattable formattable:
                    text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(value);
                    break;
            }
        }

        static void AppendMembers(System.Text.StringBuilder text, IEnumerable<KeyValuePair<object, object>> members, int depth)
        {
            text.Append('{');
            foreach (KeyValuePair<object, object> member in members)
            {
                text.Append(member.Key).Append(':');
                AppendValue(text, member.Value, depth + 1);
                text.Append(',');
            }
            text.Append('}');
        }

        public override string ToString() =>
            "Read " + ItemCount + " items in " + Pages + (Pages == 1 ? " page" : " pages") + " of up to " + PageSize + (total is long known ? " (total " + known + ")" : string.Empty) + ".";

        static bool IsPagingName(string name) =>
            string.Equals(name, "skip", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "take", StringComparison.OrdinalIgnoreCase);

        static string NotPagedMessage(EndpointCall call)
        {
            AvantiEndpoint operation = call.Operation;
            if (operation == null) return "-All: the catalog has no " + call + " operation, so how it pages is unknown. Leave out -All.";
            if (operation.Paging == EndpointPaging.TakeOnly)
            {
                return "-All: " + operation + " takes only take, not skip, so Avanti offers no way to ask for the items after the first ones. Leave out -All and ask for up to N items with -Query @{ take = N }.";
            }
            return "-All: " + operation + " does not page; it answers everything at once. Leave out -All. (Get-AvantiEndpoint shows which operations page.)";
        }

        /// <summary>A copy of the -Body fields, so each page can set its own skip and take.</summary>
        static OrderedDictionary BodyFields(object body, AvantiEndpoint operation)
        {
            var fields = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            object value = body is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : body;
            switch (value)
            {
                case null:
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary) fields[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)] = entry.Value;
                    break;
                case PSObject custom:
                    foreach (PSPropertyInfo property in custom.Properties) fields[property.Name] = property.Value;
                    break;
                default:
                    throw new ArgumentException("-All on " + operation + " sets skip and take in the body of each page, so give -Body as a hashtable or object, not as " + (value is string ? "JSON text" : "a " + value.GetType().Name) + ".");
            }
            return fields;
        }

        static object Member(object value, string name)
        {
            switch (value)
            {
                case IDictionary dictionary:
                    return dictionary.Contains(name) ? dictionary[name] : null;
                case PSObject custom:
                    return custom.Properties[name]?.Value;
                default:
                    return null;
            }
        }

        static long? ToCount(object value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            switch (value)
            {
                case long l: return l;
                case int i: return i;
                case double d when d >= 0 && d == Math.Floor(d): return (long)d;
                default: return null;
            }
        }
    }
}
