using System.Buffers.Binary;
using System.Text;

namespace A3.Runtime.Native;

/// <summary>
/// Reads the GNU symbol-versioning tables of a 64-bit little-endian ELF shared object:
/// the versions it needs from other libraries (<c>.gnu.version_r</c>) and the versions it
/// defines itself (<c>.gnu.version_d</c>).
/// </summary>
/// <remarks>
/// Only what the libtorch loading fix needs is parsed; the file is validated enough that a
/// truncated or foreign file produces an <see cref="InvalidDataException"/>, never an
/// out-of-range read.
/// </remarks>
internal sealed class ElfVersionTable
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    private ElfVersionTable(IReadOnlyList<ElfVersionNeed> needs, IReadOnlyList<string> definitions)
    {
        Needs = needs;
        Definitions = definitions;
    }

    /// <summary>Gets every (library, version) pair the object requires.</summary>
    public IReadOnlyList<ElfVersionNeed> Needs { get; }

    /// <summary>Gets the version names the object defines (for example <c>GLIBCXX_3.4.30</c>).</summary>
    public IReadOnlyList<string> Definitions { get; }

    /// <summary>Parses the version tables of an ELF image held in memory.</summary>
    /// <param name="image">The whole file.</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    public static ElfVersionTable Parse(ReadOnlySpan<byte> image, string fileName)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException($"{fileName}: not an ELF file.");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException($"{fileName}: only 64-bit little-endian ELF files are supported.");
        }

        ulong sectionHeaderOffset = BinaryPrimitives.ReadUInt64LittleEndian(image[0x28..]);
        int sectionHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3C..]);
        if (sectionHeaderSize < 64 || sectionHeaderOffset + (ulong)(sectionHeaderSize * sectionCount) > (ulong)image.Length)
        {
            throw new InvalidDataException($"{fileName}: section header table lies outside the file.");
        }

        var sections = new ElfSection[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            var header = image.Slice((int)sectionHeaderOffset + (i * sectionHeaderSize), 64);
            sections[i] = new ElfSection(
                Type: BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                Offset: BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
                Size: BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
                Link: BinaryPrimitives.ReadUInt32LittleEndian(header[40..]),
                Info: BinaryPrimitives.ReadUInt32LittleEndian(header[44..]));
            if (sections[i].Type != 8 /* SHT_NOBITS */ && sections[i].Offset + sections[i].Size > (ulong)image.Length)
            {
                throw new InvalidDataException($"{fileName}: section {i} lies outside the file.");
            }
        }

        var needs = new List<ElfVersionNeed>();
        var definitions = new List<string>();
        foreach (var section in sections)
        {
            if (section.Type == ShtGnuVerneed)
            {
                ReadNeeds(image, section, StringTable(sections, section, fileName), needs, fileName);
            }
            else if (section.Type == ShtGnuVerdef)
            {
                ReadDefinitions(image, section, StringTable(sections, section, fileName), definitions, fileName);
            }
        }

        return new ElfVersionTable(needs, definitions);
    }

    /// <summary>Parses the version tables of an ELF file on disk.</summary>
    public static ElfVersionTable Read(string path) => Parse(File.ReadAllBytes(path), path);

    private static ElfSection StringTable(ElfSection[] sections, ElfSection owner, string fileName)
    {
        if (owner.Link >= sections.Length)
        {
            throw new InvalidDataException($"{fileName}: version section links to missing string table {owner.Link}.");
        }

        return sections[owner.Link];
    }

    private static void ReadNeeds(ReadOnlySpan<byte> image, ElfSection section, ElfSection strings, List<ElfVersionNeed> needs, string fileName)
    {
        ulong entry = section.Offset;
        for (uint i = 0; i < section.Info; i++)
        {
            Require(entry + 16 <= section.Offset + section.Size, fileName);
            var verneed = image[(int)entry..];
            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(verneed[2..]);
            string library = ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(verneed[4..]), fileName);
            ulong aux = entry + BinaryPrimitives.ReadUInt32LittleEndian(verneed[8..]);
            for (int a = 0; a < auxCount; a++)
            {
                Require(aux + 16 <= section.Offset + section.Size, fileName);
                var vernaux = image[(int)aux..];
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(vernaux[4..]);
                string version = ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(vernaux[8..]), fileName);
                needs.Add(new ElfVersionNeed(library, version, flags, (long)aux + 4));
                uint nextAux = BinaryPrimitives.ReadUInt32LittleEndian(vernaux[12..]);
                if (nextAux == 0)
                {
                    break;
                }

                aux += nextAux;
            }

            uint next = BinaryPrimitives.ReadUInt32LittleEndian(verneed[12..]);
            if (next == 0)
            {
                break;
            }

            entry += next;
        }
    }

    private static void ReadDefinitions(ReadOnlySpan<byte> image, ElfSection section, ElfSection strings, List<string> definitions, string fileName)
    {
        ulong entry = section.Offset;
        for (uint i = 0; i < section.Info; i++)
        {
            Require(entry + 20 <= section.Offset + section.Size, fileName);
            var verdef = image[(int)entry..];
            ulong aux = entry + BinaryPrimitives.ReadUInt32LittleEndian(verdef[12..]);
            Require(aux + 8 <= section.Offset + section.Size, fileName);
            definitions.Add(ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(image[(int)aux..]), fileName));
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(verdef[16..]);
            if (next == 0)
            {
                break;
            }

            entry += next;
        }
    }

    private static string ReadString(ReadOnlySpan<byte> image, ElfSection strings, uint offset, string fileName)
    {
        Require(offset < strings.Size, fileName);
        var start = image.Slice((int)(strings.Offset + offset), (int)(strings.Size - offset));
        int end = start.IndexOf((byte)0);
        Require(end >= 0, fileName);
        return Encoding.ASCII.GetString(start[..end]);
    }

    private static void Require(bool condition, string fileName)
    {
        if (!condition)
        {
            throw new InvalidDataException($"{fileName}: malformed symbol version table.");
        }
    }

    private readonly record struct ElfSection(uint Type, ulong Offset, ulong Size, uint Link, uint Info);
}

/// <summary>One symbol version an ELF object needs from a library.</summary>
/// <param name="Library">The library file name, for example <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, for example <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">The <c>vna_flags</c> field; bit 0x2 (<c>VER_FLG_WEAK</c>) makes the need optional.</param>
/// <param name="FlagsOffset">The byte offset of <c>vna_flags</c> within the file.</param>
internal readonly record struct ElfVersionNeed(string Library, string Version, ushort Flags, long FlagsOffset)
{
    /// <summary>The <c>VER_FLG_WEAK</c> bit.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>Gets a value indicating whether the loader tolerates this version being absent.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}
