// Reads one RSS or Atom file with Java ROME and prints what it exposes as JSON (no JSON library:
// a small writer below). Run as a single-file program: java -cp rome.jar:... ReadRome.java FILE
import com.rometools.rome.feed.synd.*;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import java.io.File;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.*;

public class ReadRome {
  static String q(Object o) {
    if (o == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : o.toString().toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
  static String iso(Date d) {
    return d == null ? null : DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").format(d.toInstant().atOffset(ZoneOffset.UTC));
  }
  public static void main(String[] args) throws Exception {
    SyndFeed feed = new SyndFeedInput().build(new XmlReader(new File(args[0])));
    StringBuilder out = new StringBuilder("{\"library\":\"java ROME\",\"title\":" + q(feed.getTitle()) + ",\"link\":" + q(feed.getLink()) + ",\"items\":[");
    List<SyndEntry> entries = feed.getEntries();
    for (int i = 0; i < entries.size(); i++) {
      SyndEntry e = entries.get(i);
      List<String> authors = new ArrayList<>();
      for (SyndPerson p : e.getAuthors()) authors.add(q(p.getName()));
      if (authors.isEmpty() && e.getAuthor() != null && !e.getAuthor().isEmpty()) authors.add(q(e.getAuthor()));
      String image = e.getEnclosures().isEmpty() ? null : e.getEnclosures().get(0).getUrl();
      out.append(i > 0 ? "," : "").append("{\"id\":").append(q(e.getUri())).append(",\"title\":").append(q(e.getTitle()))
        .append(",\"link\":").append(q(e.getLink())).append(",\"published\":").append(q(iso(e.getPublishedDate())))
        .append(",\"updated\":").append(q(iso(e.getUpdatedDate()))).append(",\"authors\":[").append(String.join(",", authors))
        .append("],\"image\":").append(q(image)).append("}");
    }
    System.out.println(out.append("]}"));
  }
}
