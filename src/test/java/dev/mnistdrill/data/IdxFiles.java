package dev.mnistdrill.data;

import java.nio.ByteBuffer;

/** Builds synthetic IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    static byte[] images(int count, int rows, int cols, byte fill) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put(fill);
        }
        return b.array();
    }

    static byte[] labels(int count, int label) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(0x00000801).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) label);
        }
        return b.array();
    }
}
