using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using AvantiPS.Connections;
using AvantiPS.Http;
using AvantiPS.Json;

namespace AvantiPS.Reports
{
    /// <summary>Which employees a report includes (ReportOptions active/inactive).</summary>
    public enum ReportEmployeeStatus
    {
        /// <summary>Active employees only.</summary>
        Active,

        /// <summary>Inactive employees only.</summary>
        Inactive,

        /// <summary>Active and inactive employees.</summary>
        All,
    }

    /// <summary>
    /// What to ask the Reporter for. Uses GET /v1/Reporter/{id} when only ranges and merge are given, and
    /// POST /v1/Reporter with a ReportOptions body as soon as any other option is.
    /// </summary>
    internal sealed class ReportQuery
    {
        public string ReportId { get; set; }

        public string FromEmpNo { get; set; }

        public string ToEmpNo { get; set; }

        public DateTime? FromDate { get; set; }

        public DateTime? ToDate { get; set; }

        public bool? Merge { get; set; }

        public ReportEmployeeStatus? EmployeeStatus { get; set; }

        public int? DateType { get; set; }

        public int? PayRunType { get; set; }

        public string[] PayGroup { get; set; }

        public string[] Location { get; set; }

        public bool EmployeeReport { get; set; }

        public bool NeedsOptions => EmployeeStatus.HasValue || DateType.HasValue || PayRunType.HasValue || PayGroup != null || Location != null || EmployeeReport;

        public void Validate()
        {
            if (string.IsNullOrWhiteSpace(ReportId))
            {
                throw new ArgumentException("The report ID is empty. Give the ID of a web-enabled Report Designer report, for example -ReportId WageSample.");
            }
            AvantiAddress.EscapePathSegment(ReportId, "report ID");
            if ((FromEmpNo == null) != (ToEmpNo == null))
            {
                throw new ArgumentException("Employee ranges come in pairs: give both -FromEmpNo and -ToEmpNo, or neither.");
            }
            if (FromDate.HasValue != ToDate.HasValue)
            {
                throw new ArgumentException("Date ranges come in pairs: give both -FromDate and -ToDate, or neither.");
            }
            if (FromDate.HasValue && FromDate.Value > ToDate.Value)
            {
                throw new ArgumentException("-FromDate (" + FromDate.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ") is after -ToDate (" + ToDate.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ").");
            }
        }

        public AvantiRequest ToRequest()
        {
            Validate();
            if (!NeedsOptions)
            {
                var get = new AvantiRequest(HttpMethod.Get, "/v1/Reporter/" + AvantiAddress.EscapePathSegment(ReportId, "report ID")) { IsRetrySafe = true };
                if (FromEmpNo != null)
                {
                    get.Query.Add(new KeyValuePair<string, string>("fromEmpNo", FromEmpNo));
                    get.Query.Add(new KeyValuePair<string, string>("toEmpNo", ToEmpNo));
                }
                if (FromDate.HasValue)
                {
                    get.Query.Add(new KeyValuePair<string, string>("fromDate", FormatDate(FromDate.Value)));
                    get.Query.Add(new KeyValuePair<string, string>("toDate", FormatDate(ToDate.Value)));
                }
                if (Merge.HasValue)
                {
                    get.Query.Add(new KeyValuePair<string, string>("merge", Merge.Value ? "true" : "false"));
                }
                return get;
            }

            var post = new AvantiRequest(HttpMethod.Post, "/v1/Reporter") { IsRetrySafe = true, Body = OptionsBody() };
            return post;
        }

        byte[] OptionsBody()
        {
            using (var buffer = new System.IO.MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, AvantiPS.Endpoints.JsonBodyWriter.WriterOptions))
                {
                    json.WriteStartObject();
                    json.WriteString("id", ReportId);
                    json.WriteBoolean("allEmployees", FromEmpNo == null);
                    if (FromEmpNo != null)
                    {
                        json.WriteString("fromEmpNo", FromEmpNo);
                        json.WriteString("toEmpNo", ToEmpNo);
                    }
                    if (EmployeeStatus.HasValue)
                    {
                        json.WriteBoolean("active", EmployeeStatus.Value != ReportEmployeeStatus.Inactive);
                        json.WriteBoolean("inactive", EmployeeStatus.Value != ReportEmployeeStatus.Active);
                    }
                    json.WriteBoolean("allDates", !FromDate.HasValue);
                    if (FromDate.HasValue)
                    {
                        json.WriteString("fromDate", FormatDate(FromDate.Value));
                        json.WriteString("toDate", FormatDate(ToDate.Value));
                    }
                    if (DateType.HasValue) json.WriteNumber("dateType", DateType.Value);
                    if (PayRunType.HasValue) json.WriteNumber("payRunType", PayRunType.Value);
                    json.WriteBoolean("allPayGroups", PayGroup == null);
                    if (PayGroup != null) WriteArray(json, "selectedPayGroups", PayGroup);
                    json.WriteBoolean("allLocations", Location == null);
                    if (Location != null) WriteArray(json, "selectedLocations", Location);
                    if (EmployeeReport) json.WriteBoolean("isEmployeeReport", true);
                    if (Merge.HasValue) json.WriteBoolean("merge", Merge.Value);
                    json.WriteEndObject();
                }
                return buffer.ToArray();
            }
        }

        static void WriteArray(Utf8JsonWriter json, string name, string[] values)
        {
            json.WriteStartArray(name);
            foreach (string value in values) json.WriteStringValue(value);
            json.WriteEndArray();
        }

        /// <summary>fromDate/toDate are date-times in the contract (query and ReportOptions alike).</summary>
        static string FormatDate(DateTime value) => OutgoingDate.Format(value);

        public override string ToString() => ReportId;
    }
}
