using System.Buffers.Binary;

namespace A3.Tokenizers;

/// <summary>
/// A minimal protobuf wire-format reader, enough for SentencePiece's <c>ModelProto</c>; it avoids a
/// generated-code dependency for the handful of fields the tokenizer needs.
/// </summary>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> data;
    private int position;

    /// <summary>Initializes a reader over one message's bytes.</summary>
    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    /// <summary>Gets a value indicating whether all bytes have been read.</summary>
    public readonly bool AtEnd => position >= data.Length;

    /// <summary>Reads a field key; throws <see cref="FormatException"/> on malformed input.</summary>
    public (int Field, int WireType) ReadKey()
    {
        var key = ReadVarint();
        var field = (int)(key >> 3);
        if (field <= 0)
        {
            throw new FormatException($"invalid protobuf field number at byte {position}");
        }

        return (field, (int)(key & 7));
    }

    /// <summary>Reads a base-128 varint.</summary>
    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new FormatException("protobuf varint runs past the end of the data");
            }

            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException($"protobuf varint longer than 10 bytes at byte {position}");
    }

    /// <summary>Reads a length-delimited field's bytes.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(data.Length - position))
        {
            throw new FormatException($"protobuf length-delimited field of {length} bytes runs past the end of the data");
        }

        var slice = data.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    /// <summary>Reads a 32-bit float (wire type 5).</summary>
    public float ReadFixed32Float()
    {
        if (data.Length - position < 4)
        {
            throw new FormatException("protobuf fixed32 field runs past the end of the data");
        }

        var value = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(position, 4));
        position += 4;
        return value;
    }

    /// <summary>Skips a field of the given wire type.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new FormatException($"unsupported protobuf wire type {wireType} at byte {position}");
        }
    }

    private void Advance(int count)
    {
        if (data.Length - position < count)
        {
            throw new FormatException("protobuf field runs past the end of the data");
        }

        position += count;
    }
}
