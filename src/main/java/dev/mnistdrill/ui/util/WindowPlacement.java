package dev.mnistdrill.ui.util;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * Where the window was and how big, kept in a small properties file so that the next start opens it the same way.
 * A file that is missing, unreadable or places the window off every screen is ignored: the window then opens at its
 * default size, centred.
 */
public record WindowPlacement(double x, double y, double width, double height, boolean maximized) {
    /** The placement stored in {@code file}, if it is readable and complete. */
    public static Optional<WindowPlacement> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new WindowPlacement(number(p, "x"), number(p, "y"), number(p, "width"),
                    number(p, "height"), Boolean.parseBoolean(p.getProperty("maximized"))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static double number(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key);
        }
        double d = Double.parseDouble(v);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(key + " is " + v);
        }
        return d;
    }

    /** Writes the placement; a failure only costs the next start its placement, so it is not reported. */
    public void write(Path file) {
        Properties p = new Properties();
        p.setProperty("x", format(x));
        p.setProperty("y", format(y));
        p.setProperty("width", format(width));
        p.setProperty("height", format(height));
        p.setProperty("maximized", Boolean.toString(maximized));
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(out, "MNIST Drill window placement");
            }
        } catch (IOException e) {
            // next start opens at the default size
        }
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /**
     * Follows {@code stage}'s placement: the bounds it last had while not maximized (to restore it to), and whether
     * it is maximized now. A maximized stage reports the screen's bounds, not the ones to restore; {@code restored}
     * gives the normal bounds of a window opened maximized.
     */
    public static java.util.function.Supplier<WindowPlacement> track(Stage stage, Optional<WindowPlacement> restored) {
        double[] normal = restored.map(p -> new double[] {p.x, p.y, p.width, p.height})
                .orElse(new double[] {stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()});
        javafx.beans.InvalidationListener update = o -> {
            if (!stage.isMaximized() && !stage.isIconified()) {
                normal[0] = stage.getX();
                normal[1] = stage.getY();
                normal[2] = stage.getWidth();
                normal[3] = stage.getHeight();
            }
        };
        stage.xProperty().addListener(update);
        stage.yProperty().addListener(update);
        stage.widthProperty().addListener(update);
        stage.heightProperty().addListener(update);
        return () -> new WindowPlacement(normal[0], normal[1], normal[2], normal[3], stage.isMaximized());
    }

    /**
     * Whether a window placed so would show at least its title bar's middle on one of {@code screens}, and is no
     * smaller than {@code minWidth} x {@code minHeight}.
     */
    public boolean fits(Iterable<Rectangle2D> screens, double minWidth, double minHeight) {
        if (width < minWidth || height < minHeight) {
            return false;
        }
        for (Rectangle2D screen : screens) {
            if (screen.contains(x + width / 2, y + 10)) {
                return true;
            }
        }
        return false;
    }

    /** Places {@code stage} so, when it fits one of the screens there are now. */
    public boolean applyTo(Stage stage) {
        var screens = Screen.getScreens().stream().map(Screen::getVisualBounds).toList();
        if (!fits(screens, stage.getMinWidth(), stage.getMinHeight())) {
            return false;
        }
        stage.setX(x);
        stage.setY(y);
        stage.setWidth(width);
        stage.setHeight(height);
        stage.setMaximized(maximized);
        return true;
    }
}
