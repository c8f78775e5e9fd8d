using System;
using System.Management.Automation;
using AvantiPS.Auth;
using AvantiPS.Connections;
using AvantiPS.Endpoints;
using AvantiPS.Http;
using AvantiPS.Json;
using AvantiPS.Vault;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Turns core exceptions into ErrorRecords with a stable error ID, the category a PowerShell user expects and
    /// the advice the core wrote. Messages come from the core, which never puts a secret in them.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <summary>
        /// The error record of a core exception: stable ID, category, target, and ErrorDetails holding the message
        /// (for API errors, the text Avanti's problem details gave) with the advice in RecommendedAction.
        /// </summary>
        public static ErrorRecord From(Exception exception, object target)
        {
            ErrorRecord record = Record(exception, target);
            record.ErrorDetails = new ErrorDetails(record.Exception.Message) { RecommendedAction = AdviceFor(record.Exception) };
            return record;
        }

        /// <summary>No connection to use: the runspace never connected and no -Connection was given.</summary>
        public static ErrorRecord NotConnected(string message = null)
        {
            const string advice = "Run Connect-Avanti first, or pass -Connection (in ForEach-Object -Parallel or Start-ThreadJob: -Connection $using:connection; in Start-Job, connect inside the job from a profile with Connect-Avanti -Vault).";
            var exception = new InvalidOperationException((message ?? "No Avanti connection: this runspace has not connected.") + " " + advice);
            var record = new ErrorRecord(exception, "AvantiNotConnected", ErrorCategory.ConnectionError, null);
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = advice };
            return record;
        }

        static ErrorRecord Record(Exception exception, object target)
        {
            switch (exception)
            {
                case AvantiApiException api:
                    return new ErrorRecord(api, "AvantiHttp" + api.StatusCode, CategoryFor(api.StatusCode), target);
                case AvantiAuthenticationException auth:
                    return new ErrorRecord(auth, "AvantiToken" + auth.Failure, CategoryFor(auth.Failure), target);
                case AvantiConnectionException connection:
                    return new ErrorRecord(connection, connection.IsTimeout ? "AvantiTimeout" : "AvantiUnreachable",
                        connection.IsTimeout ? ErrorCategory.OperationTimeout : ErrorCategory.ConnectionError, target);
                case AvantiResponseException response:
                    return new ErrorRecord(response, "AvantiResponse" + response.Failure, CategoryFor(response.Failure), target);
                case JsonIncompleteException incomplete:
                    return Record(new AvantiResponseException(incomplete.Message, incomplete, ResponseFailure.Incomplete), target);
                case JsonInvalidException invalid:
                    return Record(new AvantiResponseException(invalid.Message, invalid, ResponseFailure.InvalidJson), target);
                case AvantiPS.Reports.ReportFileException file:
                    return new ErrorRecord(file, "AvantiFile" + file.Error, CategoryFor(file.Error), target);
                case AvantiProfileException profile:
                    return new ErrorRecord(profile, "AvantiProfile" + profile.Error, CategoryFor(profile.Error), target);
                case AvantiAddressException address:
                    return new ErrorRecord(address, "AvantiInvalidAddress", ErrorCategory.InvalidArgument, target);
                case EndpointArgumentException call:
                    return new ErrorRecord(call, call.ErrorId, ErrorCategory.InvalidArgument, target);
                case AvantiConnectionClosedException closed:
                    return new ErrorRecord(closed, closed.IsCopy ? "AvantiConnectionCopy" : "AvantiConnectionClosed", ErrorCategory.ConnectionError, target);
                case HostCannotAskException cannotAsk:
                    return new ErrorRecord(cannotAsk, cannotAsk.Kind == PromptKind.Credential ? "AvantiCredentialRequired" : "AvantiConfirmationRequired",
                        cannotAsk.Kind == PromptKind.Credential ? ErrorCategory.AuthenticationError : ErrorCategory.InvalidOperation, target);
                case ArgumentException argument:
                    return new ErrorRecord(argument, "AvantiInvalidArgument", ErrorCategory.InvalidArgument, target);
                case InvalidOperationException invalidOperation:
                    return new ErrorRecord(invalidOperation, "AvantiInvalidOperation", ErrorCategory.InvalidOperation, target);
                default:
                    return new ErrorRecord(exception, "AvantiUnexpected", ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>What to do next: the advice the core wrote for this failure, else the advice for its kind.</summary>
        internal static string AdviceFor(Exception exception)
        {
            switch (exception)
            {
                case AvantiApiException api:
                    return api.Advice ?? AdviceFor(api.StatusCode);
                case AvantiAuthenticationException auth:
                    switch (auth.Failure)
                    {
                        case AuthFailure.Unreachable:
                            return "Check the portal address (or -TokenUri), the network and any proxy (-Proxy), then run Connect-Avanti again.";
                        case AuthFailure.ClientRejected:
                            return "Check -ClientCredential: the API client ID as user name and its client secret as password, as your Avanti administrator issued them.";
                        case AuthFailure.UserRejected:
                            return "Check -Credential (the Avanti API user and its password) and -Company (the company database name); the user may also be locked in Avanti.";
                        default:
                            return "Run Connect-Avanti again with -Verbose; if it keeps failing, give Avanti support the time of the attempt.";
                    }
                case AvantiConnectionException connection:
                    return connection.IsTimeout
                        ? "Raise -TimeoutSec, or try again later; check the network and any proxy if it keeps timing out."
                        : "Check the network, any proxy (-Proxy) and the connection's address (Get-AvantiConnection), then try again.";
                case AvantiResponseException response when response.Failure == ResponseFailure.RepeatedPage:
                    return "Do not use the output as the whole list. Ask for the pages yourself with -Query @{ skip = ...; take = ... } (or -Body for POST /v1/Employees) to see what Avanti answers, and report it to Avanti support.";
                case AvantiResponseException response:
                    return response.Failure == ResponseFailure.InvalidJson
                        ? "Avanti's answer could not be used as sent; run the command again with -Verbose, and report it to Avanti support if it persists."
                        : "Run the command again; raise -TimeoutSec or -MaximumRetryCount if the network is slow or unsteady. Do not use partial output as the whole result.";
                case JsonIncompleteException _:
                case JsonInvalidException _:
                    return AdviceFor(new AvantiResponseException(exception.Message, exception, exception is JsonIncompleteException ? ResponseFailure.Incomplete : ResponseFailure.InvalidJson));
                case AvantiProfileException profile:
                    return profile.Advice;
                case AvantiAddressException _:
                    return AvantiAddress.AddressAdvice;
                case AvantiConnectionClosedException closed:
                    return closed.Advice;
                case HostCannotAskException cannotAsk:
                    return cannotAsk.Advice;
                case ArgumentException _:
                    return "Correct the value the message names and run the command again; Get-Help <command> -Full describes each parameter.";
                case InvalidOperationException _:
                    return "Do what the message says, then run the command again.";
                default:
                    return "This failure is unexpected: run the command again with -Verbose and report the output (it holds no secret) to the AvantiPS maintainers.";
            }
        }

        static string AdviceFor(int status)
        {
            switch (status)
            {
                case 400:
                case 422:
                    return "Correct the values the message names (Get-AvantiEndpoint -Path <path> shows the operation's parameters) and send the request again.";
                case 401:
                    return "The token was refused: run Connect-Avanti again; if it keeps happening, check the API user's access with your Avanti administrator.";
                case 403:
                    return "The Avanti API user lacks permission for this operation or company; ask your Avanti administrator to grant it (give the trace ID).";
                case 404:
                    return "Check the path and the IDs in it (Get-AvantiEndpoint lists the operations; a report ID must exist and be shared with the API user).";
                case 409:
                    return "The record changed or already exists in Avanti; read it again and retry with current values.";
                case 429:
                    return "Avanti is limiting requests: wait and run again, or raise -MaximumRetryCount and -RetryIntervalSec.";
                default:
                    return status >= 500
                        ? "Avanti failed to answer: try again later (raise -MaximumRetryCount for busy periods); if it persists, give Avanti support the trace ID."
                        : "Check the request (path, method, query and body) against Get-AvantiEndpoint and send it again.";
            }
        }

        public static ErrorCategory CategoryFor(int status)
        {
            switch (status)
            {
                case 400:
                case 422:
                    return ErrorCategory.InvalidArgument;
                case 401:
                    return ErrorCategory.AuthenticationError;
                case 403:
                    return ErrorCategory.PermissionDenied;
                case 404:
                    return ErrorCategory.ObjectNotFound;
                case 409:
                    return ErrorCategory.ResourceExists;
                case 429:
                    return ErrorCategory.LimitsExceeded;
                case 502:
                case 503:
                case 504:
                    return ErrorCategory.ConnectionError;
                default:
                    return status >= 500 ? ErrorCategory.InvalidResult : ErrorCategory.InvalidOperation;
            }
        }

        static ErrorCategory CategoryFor(ResponseFailure failure)
        {
            switch (failure)
            {
                case ResponseFailure.Stalled:
                    return ErrorCategory.OperationTimeout;
                case ResponseFailure.Broken:
                    return ErrorCategory.ConnectionError;
                default:
                    return ErrorCategory.InvalidResult;
            }
        }

        static ErrorCategory CategoryFor(AvantiPS.Reports.ReportFileError error)
        {
            switch (error)
            {
                case AvantiPS.Reports.ReportFileError.Exists:
                    return ErrorCategory.ResourceExists;
                case AvantiPS.Reports.ReportFileError.ReadOnly:
                    return ErrorCategory.PermissionDenied;
                case AvantiPS.Reports.ReportFileError.FolderNotFound:
                    return ErrorCategory.ObjectNotFound;
                default:
                    return ErrorCategory.WriteError;
            }
        }

        static ErrorCategory CategoryFor(ProfileError error)
        {
            switch (error)
            {
                case ProfileError.SecretManagementMissing:
                    return ErrorCategory.NotInstalled;
                case ProfileError.VaultNotFound:
                case ProfileError.NotFound:
                    return ErrorCategory.ObjectNotFound;
                case ProfileError.VaultLocked:
                    return ErrorCategory.AuthenticationError;
                case ProfileError.InvalidProfile:
                    return ErrorCategory.InvalidData;
                case ProfileError.Exists:
                    return ErrorCategory.ResourceExists;
                default:
                    return ErrorCategory.InvalidOperation;
            }
        }

        static ErrorCategory CategoryFor(AuthFailure failure)
        {
            switch (failure)
            {
                case AuthFailure.Unreachable:
                    return ErrorCategory.ConnectionError;
                case AuthFailure.InvalidResponse:
                    return ErrorCategory.InvalidResult;
                default:
                    return ErrorCategory.AuthenticationError;
            }
        }
    }
}
