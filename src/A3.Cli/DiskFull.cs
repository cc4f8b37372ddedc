namespace A3.Cli;

/// <summary>Recognises the I/O failure of a full disk, which is reported as such rather than as an unreadable file.</summary>
internal static class DiskFull
{
    /// <summary>ENOSPC, as .NET reports it on Linux and macOS (the raw errno).</summary>
    private const int NoSpaceErrno = 28;

    /// <summary>ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL as HRESULTs, as .NET reports them on Windows.</summary>
    private const int HandleDiskFull = unchecked((int)0x80070027);
    private const int DiskFullHResult = unchecked((int)0x80070070);

    /// <summary>Returns whether <paramref name="exception"/> says the device has no space left.</summary>
    public static bool Is(IOException exception) => exception.HResult is NoSpaceErrno or HandleDiskFull or DiskFullHResult;
}
