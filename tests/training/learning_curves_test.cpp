// Tests ctnn/training/learning_curves.hpp by reading the SVG back: a small XML parser here checks
// that the document is well-formed and gives its elements, and the tests check what is drawn -
// one panel per quantity in order, polylines with one point per finite epoch placed linearly in
// the value, ticks at 1/2/5 × 10^k covering the data, integer epochs, the legend, the dotted
// line at the lowest val_loss, escaping, and finite coordinates for 1 epoch, constant series,
// NaN gaps and diverged values.
#include "ctnn/training/learning_curves.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using namespace ctnn;

namespace {

// One element of the document: its name, attributes, own text and the index of its parent.
struct element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text; // character data directly inside, entities decoded
    int parent = -1;

    [[nodiscard]] std::string attr(const std::string& key) const {
        const auto it = attributes.find(key);
        return it == attributes.end() ? std::string() : it->second;
    }
};

// A strict little XML reader for what an SVG writer produces: one root element, properly
// nested and closed tags, quoted attributes without duplicates, only the five predefined
// entities and numeric references, an optional <?xml ...?> declaration and comments. Throws
// std::runtime_error saying where the document is not well-formed.
class xml_reader {
public:
    explicit xml_reader(std::string text) : s_(std::move(text)) {}

    std::vector<element> parse() {
        std::vector<int> open;
        bool root_seen = false;
        if (s_.starts_with("<?xml")) {
            pos_ = s_.find("?>");
            require(pos_ != std::string::npos, "unterminated declaration");
            pos_ += 2;
        }
        while (pos_ < s_.size()) {
            if (s_[pos_] != '<') {
                const std::size_t end = std::min(s_.find('<', pos_), s_.size());
                const std::string data = decode(s_.substr(pos_, end - pos_));
                if (open.empty())
                    require(data.find_first_not_of(" \t\r\n") == std::string::npos,
                            "text outside the root element");
                else
                    elements_[open.back()].text += data;
                pos_ = end;
            } else if (s_.compare(pos_, 4, "<!--") == 0) {
                pos_ = s_.find("-->", pos_);
                require(pos_ != std::string::npos, "unterminated comment");
                pos_ += 3;
            } else if (s_.compare(pos_, 2, "</") == 0) {
                pos_ += 2;
                const std::string name = read_name();
                require(!open.empty() && elements_[open.back()].name == name,
                        "closing tag </" + name + "> does not match the open element");
                skip_space();
                expect('>');
                open.pop_back();
            } else {
                ++pos_;
                require(open.size() > 0 || !root_seen, "a second root element");
                element e;
                e.name = read_name();
                e.parent = open.empty() ? -1 : open.back();
                while (true) {
                    const bool spaced = skip_space();
                    if (s_.compare(pos_, 2, "/>") == 0 || peek() == '>')
                        break;
                    require(spaced, "attributes must be separated by space");
                    const std::string key = read_name();
                    skip_space();
                    expect('=');
                    skip_space();
                    const char quote = peek();
                    require(quote == '"' || quote == '\'', "unquoted attribute value");
                    ++pos_;
                    const std::size_t end = s_.find(quote, pos_);
                    require(end != std::string::npos, "unterminated attribute value");
                    const std::string raw = s_.substr(pos_, end - pos_);
                    require(raw.find('<') == std::string::npos, "'<' in an attribute value");
                    require(e.attributes.emplace(key, decode(raw)).second,
                            "duplicate attribute " + key);
                    pos_ = end + 1;
                }
                root_seen = true;
                elements_.push_back(std::move(e));
                if (peek() == '>') {
                    open.push_back(static_cast<int>(elements_.size()) - 1);
                    ++pos_;
                } else {
                    pos_ += 2;
                }
            }
        }
        require(open.empty(), "unclosed elements at the end");
        require(root_seen, "no root element");
        return elements_;
    }

private:
    void require(bool ok, const std::string& problem) const {
        if (!ok)
            throw std::runtime_error("not well-formed at byte " + std::to_string(pos_) + ": " +
                                     problem);
    }
    [[nodiscard]] char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void expect(char c) {
        require(peek() == c, std::string("expected '") + c + "'");
        ++pos_;
    }
    bool skip_space() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && std::string_view(" \t\r\n").find(s_[pos_]) != std::string::npos)
            ++pos_;
        return pos_ != start;
    }
    std::string read_name() {
        const std::size_t start = pos_;
        const auto name_char = [](char c, bool first) {
            return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
                   (!first &&
                    (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'));
        };
        while (pos_ < s_.size() && name_char(s_[pos_], pos_ == start))
            ++pos_;
        require(pos_ > start, "expected a name");
        return s_.substr(start, pos_ - start);
    }
    std::string decode(const std::string& raw) const {
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '&') {
                out += raw[i];
                continue;
            }
            const std::size_t end = raw.find(';', i);
            require(end != std::string::npos, "'&' without ';'");
            const std::string entity = raw.substr(i + 1, end - i - 1);
            static const std::map<std::string, char> named{
                {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
            if (const auto it = named.find(entity); it != named.end())
                out += it->second;
            else
                require(entity.size() > 1 && entity[0] == '#', "unknown entity &" + entity + ";");
            i = end;
        }
        return out;
    }

    std::string s_;
    std::size_t pos_ = 0;
    std::vector<element> elements_;
};

std::vector<element> parse(const std::string& svg) {
    return xml_reader(svg).parse();
}

double number(const std::string& text) {
    double v = std::numeric_limits<double>::quiet_NaN();
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc{} || r.ptr != text.data() + text.size())
        throw std::runtime_error("not a number: '" + text + "'");
    return v;
}

struct point {
    double x, y;
};

std::vector<point> points_of(const element& polyline) {
    std::vector<point> points;
    std::istringstream in(polyline.attr("points"));
    std::string pair;
    while (in >> pair) {
        const auto comma = pair.find(',');
        points.push_back({number(pair.substr(0, comma)), number(pair.substr(comma + 1))});
    }
    return points;
}

// Is element i inside element `ancestor`?
bool inside(const std::vector<element>& doc, int i, int ancestor) {
    for (int p = doc[i].parent; p != -1; p = doc[p].parent)
        if (p == ancestor)
            return true;
    return false;
}

// The panel groups, in document order.
std::vector<int> panels(const std::vector<element>& doc) {
    std::vector<int> found;
    for (int i = 0; i < static_cast<int>(doc.size()); ++i)
        if (doc[i].name == "g" && doc[i].attr("class") == "panel")
            found.push_back(i);
    return found;
}

// Elements named `name` inside `within` (anywhere if -1) whose attribute `key` is `value`.
std::vector<const element*> find(const std::vector<element>& doc, int within,
                                 const std::string& name, const std::string& key = "",
                                 const std::string& value = "") {
    std::vector<const element*> found;
    for (int i = 0; i < static_cast<int>(doc.size()); ++i)
        if (doc[i].name == name && (within == -1 || inside(doc, i, within)) &&
            (key.empty() || doc[i].attr(key) == value))
            found.push_back(&doc[i]);
    return found;
}

std::vector<std::string> texts(const std::vector<element>& doc, int within,
                               const std::string& group_class = "") {
    std::vector<std::string> found;
    for (int i = 0; i < static_cast<int>(doc.size()); ++i)
        if (doc[i].name == "text" && (within == -1 || inside(doc, i, within)) &&
            (group_class.empty() ||
             (doc[i].parent != -1 && doc[doc[i].parent].attr("class") == group_class)))
            found.push_back(doc[i].text);
    return found;
}

// Every coordinate and size in the document is a finite number.
void check_finite_coordinates(const std::vector<element>& doc, const std::string& svg) {
    BOOST_TEST(svg.find("nan") == std::string::npos);
    BOOST_TEST(svg.find("inf") == std::string::npos);
    for (const element& e : doc) {
        for (const char* key :
             {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"})
            if (e.attributes.count(key) != 0 && e.name != "svg")
                BOOST_TEST(std::isfinite(number(e.attr(key))), e.name << " " << key);
        if (e.name == "polyline")
            for (const point& p : points_of(e))
                BOOST_TEST((std::isfinite(p.x) && std::isfinite(p.y)));
    }
}

// Is v one of 1, 2, 5 times a power of ten (within rounding)?
bool is_nice_step(double v) {
    const double mantissa = v / std::pow(10.0, std::floor(std::log10(v) + 1e-9));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (std::abs(mantissa - m) < 1e-6)
            return true;
    return false;
}

history three_epochs() {
    history h;
    h.values["loss"] = {0.75, 0.5, 0.25};
    h.values["accuracy"] = {0.5, 0.75, 1};
    h.values["val_loss"] = {0.875, 0.625, 0.6875};
    h.values["val_accuracy"] = {0.5, 0.625, 0.75};
    h.epochs = 3;
    return h;
}

} // namespace

BOOST_AUTO_TEST_SUITE(learning_curves_test)

BOOST_AUTO_TEST_CASE(the_test_parser_refuses_malformed_xml) {
    BOOST_CHECK_NO_THROW(parse("<a x=\"1\"><b/>t &amp; u</a>"));
    for (const char* bad : {"<a><b></a></b>", "<a>", "<a x=1/>", "<a x=\"1\" x=\"2\"/>",
                            "<a>&nbsp;</a>", "<a/><b/>", "<a>x & y</a>", "<a x=\"<\"/>"})
        BOOST_CHECK_THROW(parse(bad), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(two_panels_with_training_and_validation_lines) {
    const std::string svg = learning_curves_svg(three_epochs());
    const auto doc = parse(svg);
    BOOST_TEST(doc[0].name == "svg");
    BOOST_TEST(doc[0].attr("xmlns") == "http://www.w3.org/2000/svg");
    const auto p = panels(doc);
    BOOST_REQUIRE_EQUAL(p.size(), 2u);
    BOOST_TEST(doc[p[0]].attr("data-quantity") == "loss");
    BOOST_TEST(doc[p[1]].attr("data-quantity") == "accuracy");

    const std::map<std::string, std::vector<double>>& values = three_epochs().values;
    for (int panel : p) {
        const std::string quantity = doc[panel].attr("data-quantity");
        const auto training = find(doc, panel, "polyline", "class", "training");
        const auto validation = find(doc, panel, "polyline", "class", "validation");
        BOOST_REQUIRE_EQUAL(training.size(), 1u);
        BOOST_REQUIRE_EQUAL(validation.size(), 1u);
        BOOST_TEST(training[0]->attr("data-series") == quantity);
        BOOST_TEST(validation[0]->attr("data-series") == "val_" + quantity);
        // Distinct colours; the validation line dashed, the training line solid.
        BOOST_TEST(training[0]->attr("stroke") != validation[0]->attr("stroke"));
        BOOST_TEST(!validation[0]->attr("stroke-dasharray").empty());
        BOOST_TEST(training[0]->attr("stroke-dasharray").empty());

        // One point per epoch, equally spaced in x; y linear in the value, larger values higher.
        const auto t = points_of(*training[0]), v = points_of(*validation[0]);
        BOOST_REQUIRE_EQUAL(t.size(), 3u);
        BOOST_REQUIRE_EQUAL(v.size(), 3u);
        std::vector<double> all_values;
        std::vector<point> all_points;
        for (std::size_t i = 0; i < 3; ++i) {
            BOOST_TEST(t[i].x == v[i].x);
            all_values.push_back(values.at(quantity)[i]);
            all_values.push_back(values.at("val_" + quantity)[i]);
            all_points.push_back(t[i]);
            all_points.push_back(v[i]);
        }
        BOOST_TEST(t[1].x - t[0].x == t[2].x - t[1].x, boost::test_tools::tolerance(1e-6));
        BOOST_TEST(t[1].x > t[0].x);
        const auto far = static_cast<std::size_t>(
            std::max_element(all_values.begin(), all_values.end()) - all_values.begin());
        BOOST_REQUIRE(all_values[far] > all_values[0]);
        const double slope =
            (all_points[far].y - all_points[0].y) / (all_values[far] - all_values[0]);
        BOOST_TEST(slope < 0.0); // SVG's y grows downwards
        for (std::size_t i = 1; i < all_values.size(); ++i)
            BOOST_TEST(all_points[i].y == all_points[0].y + slope * (all_values[i] - all_values[0]),
                       boost::test_tools::tolerance(1e-3));

        // Legend.
        const auto legend = texts(doc, panel, "legend");
        BOOST_TEST((legend == std::vector<std::string>{"training", "validation"}));
    }
    check_finite_coordinates(doc, svg);
}

BOOST_AUTO_TEST_CASE(value_ticks_are_nice_and_cover_the_data_and_epochs_are_integers) {
    const auto doc = parse(learning_curves_svg(three_epochs()));
    const auto p = panels(doc);
    for (int panel : p) {
        const auto labels = texts(doc, panel, "value-axis");
        BOOST_REQUIRE_GE(labels.size(), 3u);
        BOOST_REQUIRE_LE(labels.size(), 12u);
        std::vector<double> ticks;
        for (const auto& l : labels)
            ticks.push_back(number(l));
        const double step = ticks[1] - ticks[0];
        BOOST_TEST(is_nice_step(step), "step " << step);
        for (std::size_t i = 1; i < ticks.size(); ++i)
            BOOST_TEST(ticks[i] - ticks[i - 1] == step, boost::test_tools::tolerance(1e-9));
        const bool loss = doc[panel].attr("data-quantity") == "loss";
        BOOST_TEST(ticks.front() <= (loss ? 0.25 : 0.5));
        BOOST_TEST(ticks.back() >= (loss ? 0.875 : 1.0));
        BOOST_TEST((texts(doc, panel, "epoch-axis") == std::vector<std::string>{"1", "2", "3"}));
    }
    // 200 epochs: every 20th is labelled.
    history h;
    for (int i = 0; i < 200; ++i)
        h.values["loss"].push_back(1.0 / (i + 1));
    const auto long_doc = parse(learning_curves_svg(h));
    const auto labels = texts(long_doc, -1, "epoch-axis");
    BOOST_REQUIRE_EQUAL(labels.size(), 10u);
    for (std::size_t i = 0; i < 10; ++i)
        BOOST_TEST(labels[i] == std::to_string(20 * (i + 1)));
}

BOOST_AUTO_TEST_CASE(the_lowest_val_loss_epoch_is_marked_in_every_panel) {
    const history h = three_epochs(); // val_loss lowest at epoch 2
    const auto doc = parse(learning_curves_svg(h));
    for (int panel : panels(doc)) {
        const auto markers = find(doc, panel, "g", "class", "best-epoch");
        BOOST_REQUIRE_EQUAL(markers.size(), 1u);
        BOOST_TEST(markers[0]->attr("data-epoch") == "2");
        const auto lines = find(doc, panel, "line", "stroke-dasharray", "2 3");
        BOOST_REQUIRE_EQUAL(lines.size(), 1u);
        const auto epoch2 = points_of(*find(doc, panel, "polyline", "class", "training")[0])[1];
        BOOST_TEST(number(lines[0]->attr("x1")) == epoch2.x);
        BOOST_TEST(number(lines[0]->attr("x2")) == epoch2.x);
    }
    // The loss panel says where and rings the point.
    const int loss = panels(doc)[0];
    const auto label = texts(doc, loss, "best-epoch");
    BOOST_REQUIRE_EQUAL(label.size(), 1u);
    BOOST_TEST(label[0] == "lowest val_loss 0.625 at epoch 2");
    const auto ring = find(doc, loss, "circle");
    BOOST_REQUIRE_EQUAL(ring.size(), 1u);
    const auto val2 = points_of(*find(doc, loss, "polyline", "class", "validation")[0])[1];
    BOOST_TEST(number(ring[0]->attr("cx")) == val2.x);
    BOOST_TEST(number(ring[0]->attr("cy")) == val2.y);

    // Ties go to the first epoch (early stopping keeps the earliest best weights); the marker
    // can be switched off.
    history tied = h;
    tied.values["val_loss"] = {0.5, 0.25, 0.25};
    BOOST_TEST(find(parse(learning_curves_svg(tied)), -1, "g", "class", "best-epoch")[0]->attr(
                   "data-epoch") == "2");
    BOOST_TEST(find(parse(learning_curves_svg(h, {.mark_best_epoch = false})), -1, "g", "class",
                    "best-epoch")
                   .empty());
}

BOOST_AUTO_TEST_CASE(without_validation_only_training_lines_are_drawn) {
    history h;
    h.values["loss"] = {0.9, 0.6, 0.5, 0.45};
    h.values["accuracy"] = {0.4, 0.6, 0.7, 0.72};
    const std::string svg = learning_curves_svg(h);
    const auto doc = parse(svg);
    BOOST_TEST(panels(doc).size() == 2u);
    BOOST_TEST(find(doc, -1, "polyline", "class", "training").size() == 2u);
    BOOST_TEST(find(doc, -1, "polyline", "class", "validation").empty());
    BOOST_TEST(find(doc, -1, "g", "class", "best-epoch").empty());
    BOOST_TEST((texts(doc, -1, "legend") == std::vector<std::string>{"training", "training"}));
    check_finite_coordinates(doc, svg);
}

BOOST_AUTO_TEST_CASE(other_quantities_get_their_own_panels_after_loss_and_accuracy) {
    history h;
    for (const char* key : {"mae", "val_mae", "loss", "val_loss", "auc"})
        h.values[key] = {3.0, 2.0};
    const auto doc = parse(learning_curves_svg(h));
    std::vector<std::string> order;
    for (int panel : panels(doc))
        order.push_back(doc[panel].attr("data-quantity"));
    BOOST_TEST((order == std::vector<std::string>{"loss", "auc", "mae"}));
}

BOOST_AUTO_TEST_CASE(titles_and_keys_are_escaped) {
    history h = three_epochs();
    h.values["f1<&>\"'"] = {0.1, 0.2, 0.3};
    const std::string title = "a < b && c > \"d\" 'e'\x01";
    const std::string svg = learning_curves_svg(h, {.title = title});
    BOOST_TEST(svg.find("a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos; ") !=
               std::string::npos);
    BOOST_TEST(svg.find("<&>") == std::string::npos);
    const auto doc = parse(svg);
    BOOST_TEST(find(doc, -1, "title")[0]->text == "a < b && c > \"d\" 'e' ");
    BOOST_TEST(find(doc, -1, "text", "class", "title")[0]->text == "a < b && c > \"d\" 'e' ");
    BOOST_TEST(find(doc, -1, "polyline", "data-series", "f1<&>\"'").size() == 1u);
    // No title: no title line.
    BOOST_TEST(
        find(parse(learning_curves_svg(h, {.title = ""})), -1, "text", "class", "title").empty());
}

BOOST_AUTO_TEST_CASE(one_epoch_is_drawn_as_dots_with_finite_coordinates) {
    history h;
    h.values["loss"] = {0.7};
    h.values["val_loss"] = {0.8};
    h.values["accuracy"] = {0.5};
    h.values["val_accuracy"] = {0.5};
    const std::string svg = learning_curves_svg(h);
    const auto doc = parse(svg);
    check_finite_coordinates(doc, svg);
    BOOST_TEST(find(doc, -1, "polyline").empty());
    BOOST_TEST(find(doc, -1, "circle", "class", "training").size() == 2u);
    BOOST_TEST(find(doc, -1, "circle", "class", "validation").size() == 2u);
    BOOST_TEST((texts(doc, -1, "epoch-axis") == std::vector<std::string>{"1", "1"}));
    BOOST_TEST(find(doc, -1, "g", "class", "best-epoch")[0]->attr("data-epoch") == "1");
}

BOOST_AUTO_TEST_CASE(constant_series_get_a_padded_axis) {
    for (double constant : {0.0, 0.5, -3.0, 1e-30, 1e30}) {
        history h;
        h.values["loss"] = std::vector<double>(17, constant);
        h.values["val_loss"] = std::vector<double>(17, constant);
        const std::string svg = learning_curves_svg(h);
        const auto doc = parse(svg);
        check_finite_coordinates(doc, svg);
        const auto frame = find(doc, -1, "rect", "class", "frame")[0];
        const double top = number(frame->attr("y"));
        const double bottom = top + number(frame->attr("height"));
        const auto line = points_of(*find(doc, -1, "polyline", "class", "training")[0]);
        BOOST_REQUIRE_EQUAL(line.size(), 17u);
        for (const point& pt : line) {
            BOOST_TEST(pt.y == line[0].y);
            BOOST_TEST((pt.y > top && pt.y < bottom), "constant " << constant);
        }
        const auto labels = texts(doc, -1, "value-axis");
        BOOST_TEST(labels.size() >= 2u);
        BOOST_TEST(number(labels.front()) <= constant);
        BOOST_TEST(number(labels.back()) >= constant);
    }
}

BOOST_AUTO_TEST_CASE(nan_and_infinite_values_leave_gaps) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    history h;
    h.values["loss"] = {1.0, nan, 0.8, 0.7, inf, 0.6, 0.5, 0.4};
    h.values["val_loss"] = {nan, nan, nan, nan, nan, nan, nan, nan};
    const std::string svg = learning_curves_svg(h);
    const auto doc = parse(svg);
    check_finite_coordinates(doc, svg);
    const auto dots = find(doc, -1, "circle", "class", "training");
    const auto lines = find(doc, -1, "polyline", "class", "training");
    BOOST_REQUIRE_EQUAL(dots.size(), 1u);  // epoch 1 alone
    BOOST_REQUIRE_EQUAL(lines.size(), 2u); // epochs 3-4 and 6-8
    BOOST_TEST(points_of(*lines[0]).size() == 2u);
    BOOST_TEST(points_of(*lines[1]).size() == 3u);
    BOOST_TEST(find(doc, -1, "polyline", "class", "validation").empty());
    BOOST_TEST(find(doc, -1, "g", "class", "best-epoch").empty()); // no finite val_loss
    // The gap is real: epoch 2's x lies between the dot and the first line.
    BOOST_TEST(number(dots[0]->attr("cx")) < points_of(*lines[0])[0].x);

    // A diverged run with huge finite losses still gives finite coordinates.
    history diverged;
    diverged.values["loss"] = {1.0, 1e200, std::numeric_limits<double>::max(), -1e300};
    const std::string big = learning_curves_svg(diverged);
    check_finite_coordinates(parse(big), big);
}

BOOST_AUTO_TEST_CASE(the_stop_reason_is_shown_under_the_title) {
    history h = three_epochs();
    h.stop_reason = std::string("training stopped in epoch 4 <because>") + std::string(300, 'x');
    const auto doc = parse(learning_curves_svg(h));
    const auto reason = find(doc, -1, "text", "class", "stop-reason");
    BOOST_REQUIRE_EQUAL(reason.size(), 1u);
    BOOST_TEST(reason[0]->text.starts_with("training stopped in epoch 4 <because>"));
    BOOST_TEST(reason[0]->text.size() < 120u); // shortened to the picture's width
}

BOOST_AUTO_TEST_CASE(bad_histories_and_sizes_are_refused) {
    BOOST_CHECK_THROW((void)learning_curves_svg(history{}), std::invalid_argument);
    history empty_series;
    empty_series.values["loss"] = {};
    BOOST_CHECK_THROW((void)learning_curves_svg(empty_series), std::invalid_argument);
    history ragged = three_epochs();
    ragged.values["val_loss"].pop_back();
    BOOST_CHECK_THROW((void)learning_curves_svg(ragged), std::invalid_argument);
    BOOST_CHECK_THROW((void)learning_curves_svg(three_epochs(), {.width = 100}),
                      std::invalid_argument);
    BOOST_CHECK_THROW((void)learning_curves_svg(three_epochs(), {.panel_height = std::nan("")}),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(save_svg_writes_the_picture_or_names_the_path) {
    std::random_device entropy;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ctnn_learning_curves_test_" + std::to_string(entropy()));
    std::filesystem::create_directories(dir);
    const svg_options options{.title = "run", .width = 800};
    save_svg(three_epochs(), dir / "curves.svg", options);
    std::ifstream in(dir / "curves.svg", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    BOOST_TEST(text.str() == learning_curves_svg(three_epochs(), options));
    std::ostringstream streamed;
    write_svg(three_epochs(), streamed, options);
    BOOST_TEST(streamed.str() == text.str());

    // A real XML parser agrees, where one is installed (optional).
    if (std::system("command -v xmllint > /dev/null 2>&1") == 0) {
        const std::string command = "xmllint --noout '" + (dir / "curves.svg").string() + "'";
        BOOST_TEST(std::system(command.c_str()) == 0);
    }

    const auto missing = dir / "missing" / "curves.svg";
    BOOST_CHECK_EXCEPTION(
        save_svg(three_epochs(), missing), std::runtime_error, [&](const std::runtime_error& e) {
            return std::string(e.what()).find(missing.string()) != std::string::npos;
        });
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

BOOST_AUTO_TEST_SUITE_END()
