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

    /** A digit's ink spans about this many pixels of MNIST's 28 (the digits are size-normalised into a 20x20 box). */
    public static final int DIGIT_SIDE = 20;

    /**
     * A row of the torchsummary-style table, with what the course behind the drill teaches to compute by hand:
     * {@code side}, the output map's width; {@code receptiveField}, how many input pixels across one output value
     * sees; {@code jump}, the input pixels between two neighbouring outputs (the strides so far, multiplied).
     */
    public record LayerRow(String name, String outputShape, long trainable, long nonTrainable, int side,
                           int receptiveField, int jump) {
    }

    /**
     * The summary of the whole net: trainable counts the PyTorch way, plus DL4J's extra BatchNorm statistics, and the
     * receptive field of the last convolution (what each GAP input sees) on its {@code gapSide} x {@code gapSide} map.
     */
    public record Summary(List<LayerRow> rows, long trainable, long nonTrainable, int lastReceptiveField,
                          int gapSide) {
        /** What DL4J's {@code numParams()} reports: it stores BatchNorm running mean/variance as parameters. */
        public long dl4jNumParams() {
            return trainable + nonTrainable;
        }

        /** What the receptive field means for this net, for the note under the layer table. */
        public String receptiveFieldNote() {
            String base = String.format(Locale.ROOT, "Each of the %dx%d values averaged by GAP sees %d x %d input "
                    + "pixels (RF = receptive field; jump = input pixels between neighbouring outputs).", gapSide,
                    gapSide, lastReceptiveField, lastReceptiveField);
            if (lastReceptiveField < DIGIT_SIDE * 2 / 3) {
                return base + String.format(Locale.ROOT, " That is far below a digit (about %d px): the last layer "
                        + "sees only strokes, never a whole digit. Add 3x3 layers or a pool.", DIGIT_SIDE);
            }
            if (lastReceptiveField < DIGIT_SIDE) {
                return base + String.format(Locale.ROOT, " That is a little less than a digit (about %d px): each "
                        + "value sees most of one.", DIGIT_SIDE);
            }
            return base + String.format(Locale.ROOT, " That covers a whole digit (about %d px).", DIGIT_SIDE);
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
        // receptive field arithmetic: a k-wide window adds (k - 1) jumps to the field; a stride multiplies the jump
        int rf = 1;
        int jump = 1;
        int lastConvRf = 1;
        int gapSide = side;
        for (Block b : blocks) {
            int sideIn = side;
            side = sideAfter(b, side);
            switch (b.kind()) {
                case CONV3, CONV1 -> {
                    int k = b.kind() == Kind.CONV3 ? 3 : 1;
                    rf += (k - 1) * jump;
                    lastConvRf = rf;
                    long weights = (long) k * k * channels * b.channels() + (batchNorm ? 0 : b.channels());
                    channels = b.channels();
                    rows.add(new LayerRow("Conv2d " + k + "x" + k + (batchNorm ? "" : " + bias") + " + ReLU",
                            shape(channels, side), weights, 0, side, rf, jump));
                    trainable += weights;
                    if (batchNorm) {
                        rows.add(new LayerRow("BatchNorm2d", shape(channels, side), 2L * channels, 2L * channels,
                                side, rf, jump));
                        trainable += 2L * channels;
                        nonTrainable += 2L * channels;
                    }
                }
                case POOL -> {
                    rf += jump;
                    jump *= 2;
                    lastConvRf = rf;
                    rows.add(new LayerRow("MaxPool2d 2x2", shape(channels, side), 0, 0, side, rf, jump));
                }
                case GAP -> {
                    gapSide = sideIn;
                    rf += (sideIn - 1) * jump;
                    rows.add(new LayerRow("GlobalAvgPool", "[" + channels + "]", 0, 0, 1, Math.min(rf, INPUT_SIDE),
                            jump));
                }
            }
        }
        long head = (long) channels * CLASSES;
        rows.add(new LayerRow("Linear (1x1 conv), no bias + softmax", "[" + CLASSES + "]", head, 0, 1,
                Math.min(rf, INPUT_SIDE), jump));
        trainable += head;
        return new Summary(List.copyOf(rows), trainable, nonTrainable, lastConvRf, gapSide);
    }

    private static String shape(int channels, int side) {
        return "[" + channels + ", " + side + ", " + side + "]";
    }

    /** Index of the convolution blocks (cN/tN) among all blocks, used to place dropout after every block but the last. */
    public long convolutionCount() {
        return blocks.stream().filter(b -> b.kind() == Kind.CONV3 || b.kind() == Kind.CONV1).count();
    }
}
