using System.Reflection;
using System.Reflection.Emit;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// The types a compiled type names: its fields, constructor and method signatures, locals, and every
/// type or member its method bodies reference (calls, field accesses, new objects, casts). Async
/// methods and lambdas compile into nested types, so callers include those.
/// </summary>
internal static class IlReferences
{
    private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IEnumerable<Type> TypesNamedBy(Type type)
    {
        var named = new List<Type>();
        named.AddRange(type.GetFields(All).Select(f => f.FieldType));
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                named.Add(info.ReturnType);
            }
            named.AddRange(method.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []);
            named.AddRange(BodyReferences(method));
        }
        return named.SelectMany(Expand).Distinct();
    }

    /// <summary>A type with its element and generic argument types (a List&lt;DownloadJob&gt; names DownloadJob).</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }
        }
        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            OpCode code;
            if (il[i] == 0xFE)
            {
                code = Codes[unchecked((short)(0xFE00 | il[i + 1]))];
                i += 2;
            }
            else
            {
                code = Codes[il[i]];
                i++;
            }
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments)!;
                    yield return member as Type ?? member.DeclaringType!;
                    if (member is MethodInfo called)
                    {
                        yield return called.ReturnType;
                        foreach (var parameter in called.GetParameters())
                        {
                            yield return parameter.ParameterType;
                        }
                    }
                    else if (member is FieldInfo field)
                    {
                        yield return field.FieldType;
                    }
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR.
                    i += 4;
                    break;
            }
        }
    }
}
