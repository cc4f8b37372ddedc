namespace System.Runtime.CompilerServices;

/// <summary>Lets the compiler emit <c>init</c> accessors (records) for netstandard2.0, which lacks this type.</summary>
internal static class IsExternalInit
{
}
