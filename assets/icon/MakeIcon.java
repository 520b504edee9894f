import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.GeneralPath;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Renders the MNIST Drill app icon: a hand-drawn "4" on a rounded indigo square with a faint 28x28 pixel grid
 * (the MNIST input size). Run with plain JDK 17, no build needed:
 *
 *   java -Djava.awt.headless=true assets/icon/MakeIcon.java src/main/resources/dev/mnistdrill/ui/mnist-drill.png 256
 */
public final class MakeIcon {
    public static void main(String[] args) throws Exception {
        String out = args.length > 0 ? args[0] : "mnist-drill.png";
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        double s = size / 256.0;
        g.scale(s, s);

        // Rounded square, indigo to teal.
        RoundRectangle2D.Double tile = new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56);
        g.setPaint(new GradientPaint(8, 8, new Color(0x3F, 0x3D, 0xB8), 248, 248, new Color(0x12, 0x9C, 0xA8)));
        g.fill(tile);

        // Faint 28x28 grid inside the tile: the network's view of a digit.
        g.setClip(tile);
        g.setColor(new Color(255, 255, 255, 22));
        g.setStroke(new BasicStroke(1f));
        double cell = 240.0 / 28;
        for (int i = 1; i < 28; i++) {
            double p = 8 + i * cell;
            g.draw(new java.awt.geom.Line2D.Double(p, 8, p, 248));
            g.draw(new java.awt.geom.Line2D.Double(8, p, 248, p));
        }
        g.setClip(null);

        // A handwritten "4": a slanted down-stroke into the crossbar, then a long, slightly curved stem.
        GeneralPath left = new GeneralPath();
        left.moveTo(122, 50);
        left.curveTo(104, 92, 86, 124, 70, 156);
        left.curveTo(112, 152, 150, 150, 194, 146);
        GeneralPath stem = new GeneralPath();
        stem.moveTo(164, 62);
        stem.curveTo(158, 110, 154, 160, 156, 212);

        BasicStroke pen = new BasicStroke(26f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        g.translate(3, 5); // soft shadow
        g.setColor(new Color(0, 0, 0, 60));
        g.setStroke(pen);
        g.draw(left);
        g.draw(stem);
        g.translate(-3, -5);
        g.setColor(Color.WHITE);
        g.draw(left);
        g.draw(stem);
        g.dispose();
        ImageIO.write(img, "png", new File(out));
        System.out.println("wrote " + out + " (" + size + "x" + size + ")");
    }
}
