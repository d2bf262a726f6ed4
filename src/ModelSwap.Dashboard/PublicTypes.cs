using System.Diagnostics.CodeAnalysis;

// The types other ModelSwap assemblies use. Everything else is internal, and CA1515 (an error, see
// .editorconfig) fails the build on any public type not listed here: make a new type public only when
// another assembly needs it, and add it below with the reason.
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Dashboard.Components.Models.ModelCommand", Justification = "a parameter type of a public Razor component")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Dashboard.Components.Models.ModelVerb", Justification = "a parameter type of a public Razor component")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Dashboard.Components.Service.ServiceAction", Justification = "a parameter type of a public Razor component")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Dashboard.Playground.AnswerFigures", Justification = "a parameter type of a public Razor component")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Dashboard.Playground.ChatMessage", Justification = "a parameter type of a public Razor component")]
[assembly: SuppressMessage("Maintainability", "CA1515", Scope = "type", Target = "~T:ModelSwap.Dashboard.Playground.ChatTurn", Justification = "a parameter type of a public Razor component")]
