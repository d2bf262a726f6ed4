using System.Diagnostics.CodeAnalysis;

// The types other ModelSwap assemblies use. Everything else is internal, and CA1515 (an error, see
// .editorconfig) fails the build on any public type not listed here: make a new type public only when
// another assembly needs it, and add it below with the reason.
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Hosting.EventHub", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Hosting.GatewayLogs", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Hosting.ServerEvent", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ConfigReloadOutcome", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.DeleteOutcome", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.DownloadView", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.IModelManagement", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.MachineView", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ModelConfigView", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ModelFilesView", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ModelInfo", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ModelLiveView", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ModelOriginFile", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ModelOriginView", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ModelRuntimes", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.RegenerateOutcome", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.RuntimeView", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ServerEventNames", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Management.ServiceStatusView", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Processes.LogRing", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Processes.UpstreamLogs", Justification = "in the signature of a public member")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Swapping.ModelState", Justification = "used by Dashboard")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Gateway.Swapping.QueuedRequest", Justification = "in the signature of a public member")]
