using System.IO;

namespace AvantiPS.Loading
{
    /// <summary>Where the module's files are: the folder of AvantiPS.dll, and dependencies/ below it.</summary>
    internal static class ModuleLayout
    {
        /// <summary>IdentityModel and AvantiPS.OAuth, kept apart so PowerShell 7 can load them in isolation.</summary>
        public const string DependenciesFolder = "dependencies";

        public static string ModuleFolder => Path.GetDirectoryName(typeof(ModuleLayout).Assembly.Location);
    }
}
