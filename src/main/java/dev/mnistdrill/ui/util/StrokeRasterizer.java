package dev.mnistdrill.ui.util;

import java.util.List;

/**
 * Renders pen strokes into an ink image (0 = background, 1 = full ink), anti-aliased, the same way the canvas
 * shows them. Pure Java so that a worker thread can turn a copy of the strokes into the network's input while the
 * user keeps drawing.
 */
public final class StrokeRasterizer {
    private StrokeRasterizer() {
    }

    /** A point of a stroke in canvas coordinates. */
    public record Point(double x, double y) {
    }

    /**
     * @param strokes polylines in canvas coordinates; a one-point stroke is a dot
     * @param width   canvas width in pixels (the ink image has this size)
     * @param height  canvas height in pixels
     * @param penWidth diameter of the pen
     */
    public static float[] rasterize(List<List<Point>> strokes, int width, int height, double penWidth) {
        float[] ink = new float[width * height];
        double r = penWidth / 2;
        for (List<Point> stroke : strokes) {
            if (stroke.isEmpty()) {
                continue;
            }
            if (stroke.size() == 1) {
                capsule(ink, width, height, stroke.get(0), stroke.get(0), r);
            }
            for (int i = 1; i < stroke.size(); i++) {
                capsule(ink, width, height, stroke.get(i - 1), stroke.get(i), r);
            }
        }
        return ink;
    }

    /** Draws the segment a-b with round caps: coverage falls off over one pixel at the edge. */
    private static void capsule(float[] ink, int width, int height, Point a, Point b, double r) {
        int x0 = Math.max(0, (int) Math.floor(Math.min(a.x, b.x) - r - 1));
        int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(a.x, b.x) + r + 1));
        int y0 = Math.max(0, (int) Math.floor(Math.min(a.y, b.y) - r - 1));
        int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(a.y, b.y) + r + 1));
        double dx = b.x - a.x;
        double dy = b.y - a.y;
        double len2 = dx * dx + dy * dy;
        // Most of the box is either outside the pen (no ink) or well inside it (full ink): squared distances
        // sort those out without a square root, which only the one-pixel rim needs. Same coverage as before.
        double outside = (r + 0.5) * (r + 0.5);
        double inside = r >= 0.5 ? (r - 0.5) * (r - 0.5) : -1;
        for (int y = y0; y <= y1; y++) {
            double py = y + 0.5;
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
                double cx = a.x + t * dx - px;
                double cy = a.y + t * dy - py;
                double d2 = cx * cx + cy * cy;
                if (d2 >= outside) {
                    continue;
                }
                float coverage = d2 <= inside ? 1f : (float) Math.max(0, Math.min(1, r + 0.5 - Math.sqrt(d2)));
                int i = y * width + x;
                if (coverage > ink[i]) {
                    ink[i] = coverage;
                }
            }
        }
    }
}
