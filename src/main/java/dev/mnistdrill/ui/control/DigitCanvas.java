package dev.mnistdrill.ui.control;

import dev.mnistdrill.ui.util.StrokeRasterizer.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;

/** A black square to draw a digit on with a round white pen; keeps the strokes for undo and for the network. */
public final class DigitCanvas extends StackPane {
    private final Canvas canvas;
    private final double pen;
    private final List<List<Point>> strokes = new ArrayList<>();
    private Consumer<List<List<Point>>> onChange = s -> { };

    public DigitCanvas(double side, double pen) {
        setAccessibleText("Drawing pad: draw one digit with the mouse; the prediction updates as you draw");
        this.pen = pen;
        this.canvas = new Canvas(side, side);
        getStyleClass().add("digit-canvas");
        getChildren().add(canvas);
        setMaxSize(side, side);
        canvas.setOnMousePressed(e -> {
            if (e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            List<Point> stroke = new ArrayList<>();
            stroke.add(clamp(e.getX(), e.getY()));
            strokes.add(stroke);
            changed();
        });
        canvas.setOnMouseDragged(e -> {
            if (strokes.isEmpty() || !e.isPrimaryButtonDown()) {
                return;
            }
            List<Point> stroke = strokes.get(strokes.size() - 1);
            Point p = clamp(e.getX(), e.getY());
            Point last = stroke.get(stroke.size() - 1);
            if (Math.hypot(p.x() - last.x(), p.y() - last.y()) >= 1.5) {
                stroke.add(p);
                changed();
            }
        });
        redraw();
    }

    private Point clamp(double x, double y) {
        return new Point(Math.max(0, Math.min(canvas.getWidth(), x)), Math.max(0, Math.min(canvas.getHeight(), y)));
    }

    public void setOnChange(Consumer<List<List<Point>>> handler) {
        onChange = handler;
    }

    public void clear() {
        strokes.clear();
        changed();
    }

    public void undo() {
        if (!strokes.isEmpty()) {
            strokes.remove(strokes.size() - 1);
            changed();
        }
    }

    /** Adds a finished stroke programmatically (tests, demo). */
    public void addStroke(List<Point> stroke) {
        strokes.add(new ArrayList<>(stroke));
        changed();
    }

    public boolean isEmpty() {
        return strokes.isEmpty();
    }

    public List<List<Point>> strokes() {
        return strokes;
    }

    private void changed() {
        redraw();
        onChange.accept(strokes);
    }

    private void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.BLACK);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setStroke(Color.WHITE);
        g.setFill(Color.WHITE);
        g.setLineWidth(pen);
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        for (List<Point> s : strokes) {
            if (s.size() == 1) {
                g.fillOval(s.get(0).x() - pen / 2, s.get(0).y() - pen / 2, pen, pen);
                continue;
            }
            g.beginPath();
            g.moveTo(s.get(0).x(), s.get(0).y());
            for (int i = 1; i < s.size(); i++) {
                g.lineTo(s.get(i).x(), s.get(i).y());
            }
            g.stroke();
        }
    }
}
