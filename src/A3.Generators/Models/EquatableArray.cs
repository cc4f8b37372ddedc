using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace A3.Generators.Models;

/// <summary>
/// An immutable array compared by its elements, so pipeline models holding collections stay
/// value-equatable and the incremental driver can tell an unchanged step from a changed one
/// (<see cref="ImmutableArray{T}"/> compares by reference).
/// </summary>
/// <typeparam name="T">The element type, itself value-equatable.</typeparam>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[]? items;

    /// <summary>Initializes a new instance of the <see cref="EquatableArray{T}"/> struct.</summary>
    /// <param name="items">The elements; the array is not copied and must not be changed afterwards.</param>
    public EquatableArray(T[] items) => this.items = items;

    /// <summary>Gets an empty array.</summary>
    public static EquatableArray<T> Empty => new(Array.Empty<T>());

    /// <inheritdoc/>
    public int Count => items?.Length ?? 0;

    /// <inheritdoc/>
    public T this[int index] => (items ?? Array.Empty<T>())[index];

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(EquatableArray<T> other)
    {
        var mine = items ?? Array.Empty<T>();
        var theirs = other.items ?? Array.Empty<T>();
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (int i = 0; i < mine.Length; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(mine[i], theirs[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        int hash = 17;
        foreach (var item in items ?? Array.Empty<T>())
        {
            hash = unchecked((hash * 31) + (item?.GetHashCode() ?? 0));
        }

        return hash;
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(items ?? Array.Empty<T>())).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Creates <see cref="EquatableArray{T}"/>s.</summary>
internal static class EquatableArray
{
    /// <summary>Copies <paramref name="items"/> into an <see cref="EquatableArray{T}"/>.</summary>
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
        where T : IEquatable<T> => new(items.ToArray());
}
