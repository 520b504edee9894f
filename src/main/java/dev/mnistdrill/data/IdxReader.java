package dev.mnistdrill.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads IDX files (the MNIST container format) of unsigned bytes, validating everything the header promises:
 * magic number, element type, rank, dimensions and the exact file length.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** An IDX array of unsigned bytes: its dimensions and the flat data, row-major. */
    public record IdxArray(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    public static IdxArray read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file.getFileName() + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return parse(bytes, file.getFileName().toString());
    }

    /** Parses {@code bytes}; {@code name} only labels error messages. */
    public static IdxArray parse(byte[] bytes, String name) {
        if (bytes.length < 4) {
            throw new DataException(name + ": truncated, only " + bytes.length + " bytes (no IDX header)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes); // IDX is big-endian, ByteBuffer's default
        if (in.get() != 0 || in.get() != 0) {
            throw new DataException(name + ": not an IDX file (bad magic number 0x"
                    + String.format("%08x", ByteBuffer.wrap(bytes).getInt()) + ")");
        }
        int type = in.get() & 0xff;
        int rank = in.get() & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new DataException(name + ": element type 0x" + Integer.toHexString(type)
                    + " is not unsigned byte (0x08)");
        }
        if (rank < 1 || rank > 3) {
            throw new DataException(name + ": rank " + rank + " is not 1 (labels) or 3 (images)");
        }
        long headerLength = 4L + 4L * rank;
        if (bytes.length < headerLength) {
            throw new DataException(name + ": truncated header (" + bytes.length + " of " + headerLength + " bytes)");
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.getInt();
            if (dims[i] <= 0) {
                throw new DataException(name + ": dimension " + i + " is " + dims[i]);
            }
            elements *= dims[i];
        }
        long expected = headerLength + elements;
        if (bytes.length < expected) {
            throw new DataException(name + ": truncated, " + bytes.length + " bytes but the header promises "
                    + expected);
        }
        if (bytes.length > expected) {
            throw new DataException(name + ": " + (bytes.length - expected) + " unexpected bytes after the data");
        }
        byte[] data = new byte[(int) elements];
        in.get(data);
        return new IdxArray(dims, data);
    }
}
