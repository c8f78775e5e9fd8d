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
        public static ErrorRecord From(Exception exception, object target)
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
                    return From(new AvantiResponseException(incomplete.Message, incomplete, ResponseFailure.Incomplete), target);
                case JsonInvalidException invalid:
                    return From(new AvantiResponseException(invalid.Message, invalid, ResponseFailure.InvalidJson), target);
                case AvantiPS.Reports.ReportFileException file:
                    return new ErrorRecord(file, "AvantiFile" + file.Error, CategoryFor(file.Error), target);
                case AvantiProfileException profile:
                    return new ErrorRecord(profile, "AvantiProfile" + profile.Error, CategoryFor(profile.Error), target);
                case AvantiAddressException address:
                    return new ErrorRecord(address, "AvantiInvalidAddress", ErrorCategory.InvalidArgument, target);
                case EndpointArgumentException call:
                    return new ErrorRecord(call, call.ErrorId, ErrorCategory.InvalidArgument, target);
                case ArgumentException argument:
                    return new ErrorRecord(argument, "AvantiInvalidArgument", ErrorCategory.InvalidArgument, target);
                case InvalidOperationException invalidOperation:
                    return new ErrorRecord(invalidOperation, "AvantiInvalidOperation", ErrorCategory.InvalidOperation, target);
                default:
                    return new ErrorRecord(exception, "AvantiUnexpected", ErrorCategory.NotSpecified, target);
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
