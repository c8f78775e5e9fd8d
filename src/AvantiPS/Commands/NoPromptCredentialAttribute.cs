using System.Management.Automation;
using System.Security;

namespace AvantiPS.Commands
{
    /// <summary>
    /// [Credential] that never prompts where no one can answer: a $null or user-name-only credential prompts, as
    /// [Credential] does, only when <see cref="HostInteraction.CanAsk"/>; otherwise $null stays $null and a user name
    /// gets an empty password, and the cmdlet fails with AvantiCredentialRequired instead of hanging the job.
    /// </summary>
    public sealed class NoPromptCredentialAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is PSCredential) return value;
            if (value == null || value is string)
            {
                if (HostInteraction.CanAsk(engineIntrinsics?.Host)) return new CredentialAttribute().Transform(engineIntrinsics, inputData);
                if (value is string userName)
                {
                    var empty = new SecureString();
                    empty.MakeReadOnly();
                    return new PSCredential(userName, empty);
                }
                return null;
            }
            return inputData;
        }

    }
}
