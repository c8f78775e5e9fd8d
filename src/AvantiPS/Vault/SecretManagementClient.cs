using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;

namespace AvantiPS.Vault
{
    /// <summary>
    /// Calls the Microsoft.PowerShell.SecretManagement cmdlets in the calling cmdlet's runspace (a nested pipeline
    /// on the pipeline thread), so the module stays optional: nothing here binds to its assembly, and without it
    /// only profiles fail. Each call runs with -ErrorAction Stop and its failures become <see cref="SecretVaultException"/>.
    /// </summary>
    internal sealed class SecretManagementClient : ISecretVaultClient
    {
        const string ModuleName = "Microsoft.PowerShell.SecretManagement";

        public void RequireVault(string vault)
        {
            foreach (PSObject found in Invoke(vault, "Get-SecretVault", new Hashtable { ["Name"] = vault }))
            {
                if (string.Equals(Property(found, "Name") as string, vault, StringComparison.OrdinalIgnoreCase)) return;
            }
            throw new SecretVaultException(SecretVaultFailure.VaultNotFound, vault, "Vault " + vault + " does not exist in registry.");
        }

        public IReadOnlyList<VaultSecretInfo> GetSecretInfo(string vault, string filter)
        {
            var result = new List<VaultSecretInfo>();
            foreach (PSObject item in Invoke(vault, "Get-SecretInfo", new Hashtable { ["Vault"] = vault, ["Name"] = filter }))
            {
                result.Add(new VaultSecretInfo(
                    Property(item, "Name") as string,
                    Property(item, "Type")?.ToString(),
                    Property(item, "Metadata") as IDictionary));
            }
            return result;
        }

        public object GetSecret(string vault, string name)
        {
            try
            {
                foreach (PSObject item in Invoke(vault, "Get-Secret", new Hashtable { ["Vault"] = vault, ["Name"] = name }))
                {
                    return item?.BaseObject;
                }
                return null;
            }
            catch (SecretNotFoundSignal)
            {
                return null;
            }
        }

        public void SetSecret(string vault, string name, Hashtable secret, Hashtable metadata)
        {
            // Save-AvantiProfile has already asked (ShouldProcess); the vault must not ask again.
            Invoke(vault, "Set-Secret", new Hashtable { ["Vault"] = vault, ["Name"] = name, ["Secret"] = secret, ["Metadata"] = metadata, ["Confirm"] = false, ["WhatIf"] = false });
        }

        public void RemoveSecret(string vault, string name)
        {
            Invoke(vault, "Remove-Secret", new Hashtable { ["Vault"] = vault, ["Name"] = name, ["Confirm"] = false, ["WhatIf"] = false });
        }

        static Collection<PSObject> Invoke(string vault, string command, Hashtable parameters)
        {
            using (PowerShell ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                // Module-qualified, so the module loads on demand and a same-named function elsewhere is never called.
                ps.AddCommand(ModuleName + "\\" + command);
                foreach (DictionaryEntry p in parameters) ps.AddParameter((string)p.Key, p.Value);
                ps.AddParameter("ErrorAction", ActionPreference.Stop);
                ps.AddParameter("WarningAction", ActionPreference.SilentlyContinue);
                try
                {
                    Collection<PSObject> result = ps.Invoke();
                    // A nested pipeline that was stopped (SecretStore's password prompt reading end of input) or that
                    // wrote errors has no trustworthy answer, even when it returned nothing and threw nothing: an
                    // empty result then is a failure, never "no secret".
                    if (result.Count == 0 && (ps.HadErrors || ps.InvocationStateInfo.State == PSInvocationState.Stopped || ps.InvocationStateInfo.State == PSInvocationState.Failed))
                    {
                        throw Unanswered(vault, command, ps);
                    }
                    return result;
                }
                catch (CommandNotFoundException ex)
                {
                    throw new SecretVaultException(SecretVaultFailure.ModuleMissing, vault, ex.Message, ex);
                }
                catch (RuntimeException ex)
                {
                    throw Classify(vault, ex);
                }
            }
        }

        static Exception Unanswered(string vault, string command, PowerShell ps)
        {
            foreach (ErrorRecord record in ps.Streams.Error)
            {
                Exception classified = Classify(vault, new RuntimeException(record.Exception?.Message ?? command + " failed.", record.Exception, record));
                // "Not found" written as an error is still an answer: the secret is not there.
                return classified;
            }
            Exception reason = ps.InvocationStateInfo.Reason;
            if (reason is RuntimeException runtime && !(reason is PipelineStoppedException)) return Classify(vault, runtime);
            return new SecretVaultException(SecretVaultFailure.PasswordPromptFailed, vault,
                command + " stopped without an answer (the vault asked for its password and no one could answer).", reason);
        }

        static Exception Classify(string vault, RuntimeException ex)
        {
            ErrorRecord record = ex.ErrorRecord;
            string id = record?.FullyQualifiedErrorId ?? string.Empty;
            Exception cause = record?.Exception ?? ex;

            for (Exception e = cause; e != null; e = e.InnerException)
            {
                // SecretStore (and SecretManagement relaying it) signals a locked store with PasswordRequiredException.
                if (e.GetType().Name == "PasswordRequiredException") return new SecretVaultException(SecretVaultFailure.VaultLocked, vault, e.Message, ex);
            }
            if (id.IndexOf("PasswordRequiredException", StringComparison.Ordinal) >= 0)
            {
                return new SecretVaultException(SecretVaultFailure.VaultLocked, vault, cause.Message, ex);
            }
            if (id.StartsWith("GetSecretNotFound", StringComparison.Ordinal)) return new SecretNotFoundSignal();
            if (id.IndexOf("VaultNotFound", StringComparison.Ordinal) >= 0 || id.StartsWith("GetSecretVaultNotFound", StringComparison.Ordinal))
            {
                return new SecretVaultException(SecretVaultFailure.VaultNotFound, vault, cause.Message, ex);
            }
            if (id.StartsWith("CommandNotFoundException", StringComparison.Ordinal) || id.StartsWith("CouldNotAutoLoadModule", StringComparison.Ordinal)
                || cause is CommandNotFoundException)
            {
                return new SecretVaultException(SecretVaultFailure.ModuleMissing, vault, cause.Message, ex);
            }
            return new SecretVaultException(SecretVaultFailure.Other, vault, cause.Message, ex);
        }

        static object Property(PSObject item, string name)
        {
            object value = item?.Properties[name]?.Value;
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        /// <summary>Get-Secret's "not found", which is an answer (null), not a failure.</summary>
        sealed class SecretNotFoundSignal : Exception
        {
        }
    }
}
