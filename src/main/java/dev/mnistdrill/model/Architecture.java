package dev.mnistdrill.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A drill CNN written as a compact spec, e.g. {@code "c8 c16 p t8 c12 c16 c16 gap"}:
 * <ul>
 *   <li>{@code cN}: 3x3 convolution (no padding) to N channels, ReLU, then BatchNorm when enabled;</li>
 *   <li>{@code tN}: 1x1 "transition" convolution to N channels, ReLU, BatchNorm;</li>
 *   <li>{@code p}: 2x2 max-pool, stride 2;</li>
 *   <li>{@code gap}: global average pooling, always last, followed by a bias-free linear layer to 10 classes
 *       (the drill's final 1x1 conv).</li>
 * </ul>
 * Parameter counts are computed here, without ND4J, so the UI can show them instantly; a test checks them
 * against DL4J's own count.
 */
public record Architecture(String spec, List<Block> blocks) {
    public static final int INPUT_SIDE = 28;
    public static final int CLASSES = 10;

    public enum Kind { CONV3, CONV1, POOL, GAP }

    /** One block of the spec; {@code channels} is 0 for pooling. */
    public record Block(Kind kind, int channels, String token) {
    }

    /** A row of the torchsummary-style table. */
    public record LayerRow(String name, String outputShape, long trainable, long nonTrainable) {
    }

    /** The summary of the whole net: trainable counts the PyTorch way, plus DL4J's extra BatchNorm statistics. */
    public record Summary(List<LayerRow> rows, long trainable, long nonTrainable) {
        /** What DL4J's {@code numParams()} reports: it stores BatchNorm running mean/variance as parameters. */
        public long dl4jNumParams() {
            return trainable + nonTrainable;
        }
    }

    public static Architecture parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("architecture is empty");
        }
        List<Block> blocks = new ArrayList<>();
        for (String raw : spec.trim().toLowerCase(Locale.ROOT).split("[\\s,]+")) {
            blocks.add(parseBlock(raw));
        }
        Architecture arch = new Architecture(String.join(" ", blocks.stream().map(Block::token).toList()),
                List.copyOf(blocks));
        arch.check();
        return arch;
    }

    private static Block parseBlock(String token) {
        if (token.equals("p") || token.equals("pool")) {
            return new Block(Kind.POOL, 0, "p");
        }
        if (token.equals("gap")) {
            return new Block(Kind.GAP, 0, "gap");
        }
        if ((token.startsWith("c") || token.startsWith("t")) && token.length() > 1) {
            int channels;
            try {
                channels = Integer.parseInt(token.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + token + "' is not a block (cN, tN, p, gap)");
            }
            if (channels < 1 || channels > 256) {
                throw new IllegalArgumentException("'" + token + "': channels must be 1 to 256");
            }
            return new Block(token.startsWith("c") ? Kind.CONV3 : Kind.CONV1, channels, token);
        }
        throw new IllegalArgumentException("'" + token + "' is not a block (cN, tN, p, gap)");
    }

    private void check() {
        int side = INPUT_SIDE;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b.kind() == Kind.GAP && i != blocks.size() - 1) {
                throw new IllegalArgumentException("gap must be the last block");
            }
            side = sideAfter(b, side);
            if (side < 1) {
                throw new IllegalArgumentException("the image shrinks to nothing at '" + b.token() + "' (block "
                        + (i + 1) + ")");
            }
        }
        if (blocks.get(blocks.size() - 1).kind() != Kind.GAP) {
            throw new IllegalArgumentException("the architecture must end with gap");
        }
        if (blocks.stream().noneMatch(b -> b.kind() == Kind.CONV3 || b.kind() == Kind.CONV1)) {
            throw new IllegalArgumentException("the architecture has no convolution");
        }
    }

    private static int sideAfter(Block b, int side) {
        return switch (b.kind()) {
            case CONV3 -> side - 2;
            case POOL -> side / 2;
            case CONV1, GAP -> side;
        };
    }

    /** The layer table and totals for this architecture with or without BatchNorm. */
    public Summary summarize(boolean batchNorm) {
        List<LayerRow> rows = new ArrayList<>();
        int side = INPUT_SIDE;
        int channels = 1;
        long trainable = 0;
        long nonTrainable = 0;
        for (Block b : blocks) {
            side = sideAfter(b, side);
            switch (b.kind()) {
                case CONV3, CONV1 -> {
                    int k = b.kind() == Kind.CONV3 ? 3 : 1;
                    long weights = (long) k * k * channels * b.channels() + (batchNorm ? 0 : b.channels());
                    channels = b.channels();
                    rows.add(new LayerRow("Conv2d " + k + "x" + k + (batchNorm ? "" : " + bias") + " + ReLU",
                            shape(channels, side), weights, 0));
                    trainable += weights;
                    if (batchNorm) {
                        rows.add(new LayerRow("BatchNorm2d", shape(channels, side), 2L * channels, 2L * channels));
                        trainable += 2L * channels;
                        nonTrainable += 2L * channels;
                    }
                }
                case POOL -> rows.add(new LayerRow("MaxPool2d 2x2", shape(channels, side), 0, 0));
                case GAP -> rows.add(new LayerRow("GlobalAvgPool", "[" + channels + "]", 0, 0));
            }
        }
        long head = (long) channels * CLASSES;
        rows.add(new LayerRow("Linear (1x1 conv), no bias + softmax", "[" + CLASSES + "]", head, 0));
        trainable += head;
        return new Summary(List.copyOf(rows), trainable, nonTrainable);
    }

    private static String shape(int channels, int side) {
        return "[" + channels + ", " + side + ", " + side + "]";
    }

    /** Index of the convolution blocks (cN/tN) among all blocks, used to place dropout after every block but the last. */
    public long convolutionCount() {
        return blocks.stream().filter(b -> b.kind() == Kind.CONV3 || b.kind() == Kind.CONV1).count();
    }
}
