/* docket-server-demo.c: the demo organisation — a Vietnamese provincial people's council
 * with a secretary, a chair, a vice-chair, ten more members and an invited director;
 * meetings with their meeting roles, nested agenda items and PDFs written with cairo and
 * pango, and one session held last month (its state, attendance and speeches); and an
 * archive of many meetings, to measure the change feed on
 */
#include "config.h"

#include <glib/gi18n.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <sodium.h>

#include "docket-server-auth.h"
#include "docket-server-demo.h"

#define ORGAN "HĐND tỉnh"
#define TIME_ZONE "Asia/Ho_Chi_Minh"

#define PAGE_WIDTH   595.0   /* A4 in points */
#define PAGE_HEIGHT  842.0
#define MARGIN       64.0

/* The council: its secretary, its chair and vice-chair, twelve delegates in all with
 * them, and a department director whom the sessions invite. The first six are the demo's
 * accounts since the start (tests and the README sign in as them). */
static const struct {
  const char *username;
  const char *display_name;
  DocketRole  role;
} demo_users[] = {
  { "thuky", "Trần Thị Thu Hà", DOCKET_ROLE_SECRETARY },
  { "daibieu1", "Nguyễn Văn Hùng", DOCKET_ROLE_OFFICIAL },
  { "daibieu2", "Lê Thị Hồng Nhung", DOCKET_ROLE_OFFICIAL },
  { "daibieu3", "Phạm Quốc Việt", DOCKET_ROLE_OFFICIAL },
  { "daibieu4", "Hoàng Thị Mỹ Dung", DOCKET_ROLE_OFFICIAL },
  { "daibieu5", "Đặng Đức Thắng", DOCKET_ROLE_OFFICIAL },
  { "chutich", "Trương Quang Minh – Chủ tịch HĐND tỉnh", DOCKET_ROLE_OFFICIAL },
  { "phochutich", "Võ Thị Ngọc Lan – Phó Chủ tịch HĐND tỉnh", DOCKET_ROLE_OFFICIAL },
  { "daibieu6", "Huỳnh Văn Phúc", DOCKET_ROLE_OFFICIAL },
  { "daibieu7", "Đỗ Thị Thanh Xuân", DOCKET_ROLE_OFFICIAL },
  { "daibieu8", "Lý Minh Khoa", DOCKET_ROLE_OFFICIAL },
  { "daibieu9", "Ngô Thị Bích Ngọc", DOCKET_ROLE_OFFICIAL },
  { "daibieu10", "Dương Công Thành", DOCKET_ROLE_OFFICIAL },
  { "giamdocstc", "Trịnh Hoài Nam – Giám đốc Sở Tài chính", DOCKET_ROLE_OFFICIAL },
};

static const char *paragraphs[] = {
  "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
  "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
  "11 năm 2019; căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015.",
  "Năm 2026, trong bối cảnh tình hình thế giới và trong nước còn nhiều khó khăn, thách thức, "
  "dưới sự lãnh đạo của Tỉnh ủy, sự giám sát của Hội đồng nhân dân tỉnh, Ủy ban nhân dân tỉnh đã "
  "chỉ đạo quyết liệt các ngành, các cấp thực hiện đồng bộ các nhiệm vụ, giải pháp đề ra.",
  "Tổng sản phẩm trên địa bàn tỉnh (GRDP) ước tăng 7,8% so với cùng kỳ, vượt kế hoạch đề ra; "
  "thu ngân sách nhà nước trên địa bàn đạt 12.450 tỷ đồng, bằng 108% dự toán; giải ngân vốn đầu "
  "tư công đạt 92% kế hoạch vốn được giao.",
  "Lĩnh vực văn hóa – xã hội có nhiều chuyển biến tích cực: tỷ lệ hộ nghèo giảm còn 2,1%; "
  "100% xã đạt chuẩn quốc gia về y tế; công tác chuyển đổi số được đẩy mạnh, 95% hồ sơ thủ tục "
  "hành chính được tiếp nhận và giải quyết trực tuyến.",
  "Tuy nhiên, tình hình sản xuất kinh doanh của một số doanh nghiệp còn khó khăn; tiến độ một số "
  "dự án trọng điểm còn chậm; công tác giải phóng mặt bằng ở một số địa phương chưa đáp ứng yêu "
  "cầu; ô nhiễm môi trường tại một số cụm công nghiệp chưa được xử lý triệt để.",
  "Ủy ban nhân dân tỉnh kính trình Hội đồng nhân dân tỉnh xem xét, quyết định. Các sở, ban, "
  "ngành và Ủy ban nhân dân các huyện, thị xã, thành phố có trách nhiệm tổ chức triển khai thực "
  "hiện Nghị quyết này sau khi được Hội đồng nhân dân tỉnh thông qua.",
  "Ban Kinh tế – Ngân sách Hội đồng nhân dân tỉnh cơ bản thống nhất với nội dung tờ trình và dự "
  "thảo nghị quyết; đề nghị Ủy ban nhân dân tỉnh làm rõ thêm nguồn lực thực hiện, lộ trình và "
  "trách nhiệm của từng cơ quan, đơn vị trong việc tổ chức thực hiện.",
  "Giao Thường trực Hội đồng nhân dân tỉnh, các Ban của Hội đồng nhân dân tỉnh, các Tổ đại biểu "
  "và đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện Nghị quyết.",
};

static const char *table_rows[][4] = {
  { "STT", "Chỉ tiêu", "Kế hoạch 2026", "Ước thực hiện" },
  { "1", "Tốc độ tăng trưởng GRDP (%)", "7,5", "7,8" },
  { "2", "Thu ngân sách nhà nước (tỷ đồng)", "11.520", "12.450" },
  { "3", "Tổng vốn đầu tư toàn xã hội (tỷ đồng)", "38.000", "39.200" },
  { "4", "Tỷ lệ hộ nghèo (%)", "2,5", "2,1" },
  { "5", "Tỷ lệ đô thị hóa (%)", "33,0", "33,6" },
  { "6", "Số xã đạt chuẩn nông thôn mới", "95", "97" },
};

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Draws markup at (x, y) in a box of width; returns its height. */
static double
draw_text (cairo_t    *cr,
           const char *markup,
           const char *font,
           double      x,
           double      y,
           double      width,
           PangoAlignment alignment)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int height;

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_justify (layout, alignment == PANGO_ALIGN_LEFT);
  pango_layout_set_markup (layout, markup, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static double
draw_letterhead (cairo_t    *cr,
                 const char *issuer,
                 const char *number)
{
  g_autofree char *left = g_markup_printf_escaped ("%s\n<b>%s</b>\n\nSố: %s",
                                                   "TỈNH ĐỒNG XUÂN", issuer, number);
  double half = (PAGE_WIDTH - 2 * MARGIN) / 2;
  double height;

  height = draw_text (cr, left, "DejaVu Sans 9", MARGIN, MARGIN, half - 10, PANGO_ALIGN_CENTER);
  height = MAX (height,
                draw_text (cr, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>\n"
                           "<b>Độc lập – Tự do – Hạnh phúc</b>\n\n"
                           "<i>Đồng Xuân, ngày 10 tháng 11 năm 2026</i>",
                           "DejaVu Sans 9", MARGIN + half, MARGIN, half, PANGO_ALIGN_CENTER));
  return MARGIN + height + 24;
}

static double
draw_table (cairo_t *cr,
            double   y)
{
  double widths[] = { 40, 225, 100, 102 };
  double row_height = 26;

  cairo_set_line_width (cr, 0.8);
  for (guint row = 0; row < G_N_ELEMENTS (table_rows); row++)
    {
      double x = MARGIN;

      for (guint column = 0; column < 4; column++)
        {
          g_autofree char *cell = g_markup_printf_escaped (row == 0 ? "<b>%s</b>" : "%s",
                                                           table_rows[row][column]);

          cairo_rectangle (cr, x, y, widths[column], row_height);
          cairo_stroke (cr);
          draw_text (cr, cell, "DejaVu Sans 9", x + 4, y + 6, widths[column] - 8,
                     column == 1 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
          x += widths[column];
        }
      y += row_height;
    }
  return y + 16;
}

GBytes *
docket_server_demo_make_pdf (const char *issuer,
                             const char *number,
                             const char *title,
                             int         pages)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_pdf_surface_create_for_stream (append_to_array, array, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cr = cairo_create (surface);

  for (int page = 0; page < pages; page++)
    {
      g_autofree char *footer = g_strdup_printf ("Trang %d/%d", page + 1, pages);
      double y = MARGIN;

      cairo_set_source_rgb (cr, 0, 0, 0);
      if (page == 0)
        {
          g_autofree char *heading = g_markup_printf_escaped ("<b>%s</b>", title);

          y = draw_letterhead (cr, issuer, number);
          y += draw_text (cr, heading, "DejaVu Sans 13", MARGIN, y, PAGE_WIDTH - 2 * MARGIN,
                          PANGO_ALIGN_CENTER) + 18;
        }
      else
        {
          g_autofree char *heading = g_markup_printf_escaped ("<b>%s. %s</b>",
                                                              page == 1 ? "I" : page == 2 ? "II" : "III",
                                                              page == 1 ? "Kết quả thực hiện"
                                                              : page == 2 ? "Nhiệm vụ, giải pháp"
                                                              : "Tổ chức thực hiện");

          y += draw_text (cr, heading, "DejaVu Sans 11", MARGIN, y, PAGE_WIDTH - 2 * MARGIN,
                          PANGO_ALIGN_LEFT) + 10;
        }

      if (page == 1)
        y = draw_table (cr, y);

      for (guint i = 0; i < 4 && y < PAGE_HEIGHT - MARGIN - 120; i++)
        {
          g_autofree char *text = g_markup_escape_text (paragraphs[(page * 3 + i) % G_N_ELEMENTS (paragraphs)], -1);

          y += draw_text (cr, text, "DejaVu Sans 10.5", MARGIN, y, PAGE_WIDTH - 2 * MARGIN,
                          PANGO_ALIGN_LEFT) + 10;
        }

      draw_text (cr, footer, "DejaVu Sans 8", MARGIN, PAGE_HEIGHT - MARGIN / 2 - 10,
                 PAGE_WIDTH - 2 * MARGIN, PANGO_ALIGN_CENTER);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (array);
}

static char *
random_password (void)
{
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  guint8 random[16];
  char password[sizeof random + 1];

  randombytes_buf (random, sizeof random);
  for (gsize i = 0; i < sizeof random; i++)
    password[i] = alphabet[random[i] % (sizeof alphabet - 1)];
  password[sizeof random] = '\0';
  return g_strdup (password);
}

/* A meeting on day (days from today, in Hanoi time) from 08:00 to 11:30. */
static void
meeting_times (int         days,
               GDateTime **out_start,
               GDateTime **out_end)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);

  *out_start = g_date_time_new (zone, g_date_time_get_year (day), g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day), 8, 0, 0);
  *out_end = g_date_time_add_minutes (*out_start, 210);
}

typedef struct {
  DocketServerDb    *db;
  DocketServerBlobs *blobs;
  int                document_number;
} Seeder;

static DocketAgendaItemRecord *
add_item (Seeder      *seeder,
          const char  *meeting_id,
          const char  *parent_id,
          const char  *number,
          const char  *title,
          const char  *presenter,
          const char  *description,
          GError     **error)
{
  DocketServerItemFields fields = { 0 };

  fields.title = (char *) title;
  fields.number = (char *) number;
  fields.presenter = (char *) presenter;
  fields.description = (char *) description;
  fields.has_parent = parent_id != NULL;
  fields.parent_id = (char *) parent_id;
  return docket_server_db_create_item (seeder->db, meeting_id, &fields, error);
}

static gboolean
add_document (Seeder      *seeder,
              const char  *item_id,
              const char  *issuer,
              const char  *kind,
              const char  *title,
              int          pages,
              GError     **error)
{
  g_autofree char *number = g_strdup_printf ("%d/%s", 180 + seeder->document_number++, kind);
  g_autofree char *full_title = g_strdup_printf ("%s số %s", title, number);
  g_autoptr(GBytes) pdf = docket_server_demo_make_pdf (issuer, number, title, pages);
  g_autofree char *sha256 = NULL;
  g_autoptr(DocketDocumentRecord) record = NULL;
  int checked_pages;

  if ((checked_pages = docket_server_pdf_check (pdf, error)) < 0 ||
      (sha256 = docket_server_blobs_store (seeder->blobs, pdf, error)) == NULL)
    return FALSE;
  record = docket_server_db_create_document (seeder->db, item_id, full_title, sha256,
                                             (gint64) g_bytes_get_size (pdf), checked_pages, error);
  return record != NULL;
}

/* A participant of a demo meeting, with their role in it. */
typedef struct {
  const char        *username;
  DocketMeetingRole  meeting_role;
} DemoParticipant;

static char *
add_meeting (Seeder                 *seeder,
             const DocketServerUser *secretary,
             const char             *title,
             const char             *location,
             int                     days,
             DocketQuorumRule        quorum,
             const DemoParticipant  *participants,
             GError                **error)
{
  DocketServerMeetingFields fields = { 0 };
  g_autoptr(DocketMeetingRecord) created = NULL;
  g_autoptr(GDateTime) starts_at = NULL;
  g_autoptr(GDateTime) ends_at = NULL;

  meeting_times (days, &starts_at, &ends_at);
  fields.title = (char *) title;
  fields.location = (char *) location;
  fields.time_zone = (char *) TIME_ZONE;
  fields.starts_at = starts_at;
  fields.ends_at = ends_at;
  fields.has_quorum = TRUE;
  fields.quorum = quorum;
  created = docket_server_db_create_meeting (seeder->db, secretary, &fields, error);
  if (created == NULL)
    return NULL;
  for (guint i = 0; participants[i].username != NULL; i++)
    if (!docket_server_db_put_participant (seeder->db, created->id, participants[i].username,
                                           &participants[i].meeting_role, error))
      return NULL;
  return g_strdup (created->id);
}

static gboolean
set_meeting_status (Seeder               *seeder,
                    const char           *meeting_id,
                    DocketMeetingStatus   status,
                    GError              **error)
{
  DocketServerMeetingFields change = { 0 };
  g_autoptr(DocketMeetingRecord) updated = NULL;

  change.has_status = TRUE;
  change.status = status;
  updated = docket_server_db_update_meeting (seeder->db, meeting_id, &change, error);
  return updated != NULL;
}

/* The demo's meetings, as data: each item is followed by its documents, in the order
 * they are created (documents are numbered in that order). */
typedef struct {
  const char *issuer;
  const char *kind;
  const char *title;
  int         pages;
} DemoDocument;

typedef struct {
  int          parent;           /* index of the parent item in the meeting, or -1 */
  const char  *number;
  const char  *title;
  const char  *presenter;
  const char  *description;
  DemoDocument documents[2];     /* issuer NULL: no more */
} DemoItem;

/* How a past meeting was held (docs/protocol.md, "The live meeting"), in minutes from
 * its start at 08:00: who checked in or out and when, who spoke. */
typedef struct {
  const char *username;
  const char *presence;
  int         minute;
} DemoPresence;

typedef struct {
  const char *username;
  int         requested;
  int         started;     /* -1: never given the floor (withdrawn) */
  int         ended;
} DemoSpeech;

typedef struct {
  int                 started;
  int                 ended;
  int                 speech_limit_seconds;
  const DemoPresence *attendance;    /* in the order of the changes; username NULL ends it */
  const DemoSpeech   *speeches;      /* in the order asked; username NULL ends it */
} DemoSession;

typedef struct {
  const char            *title;
  const char            *location;
  int                    days;
  DocketMeetingStatus    status;
  DocketQuorumRule       quorum;
  const DemoParticipant *participants;
  const DemoItem        *items;
  guint                  n_items;
  const DemoSession     *held;       /* NULL: not held yet (not_started) */
} DemoMeeting;

/* The council's sessions: its chair, twelve members with the chair (the vice-chair among
 * them), the director of the finance department invited as a guest, and the organ's
 * secretary as the meeting's. */
static const DemoParticipant council_session[] = {
  { "chutich", DOCKET_MEETING_ROLE_CHAIR },
  { "phochutich", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu1", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu2", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu3", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu4", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu5", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu6", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu7", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu8", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu9", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu10", DOCKET_MEETING_ROLE_MEMBER },
  { "giamdocstc", DOCKET_MEETING_ROLE_GUEST },
  { "thuky", DOCKET_MEETING_ROLE_SECRETARY },
  { NULL, 0 },
};
/* The standing committee: daibieu5 does not take part (the demo's meeting one official
 * may not see). */
static const DemoParticipant standing_committee[] = {
  { "chutich", DOCKET_MEETING_ROLE_CHAIR },
  { "phochutich", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu1", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu2", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu3", DOCKET_MEETING_ROLE_MEMBER },
  { "daibieu4", DOCKET_MEETING_ROLE_MEMBER },
  { "thuky", DOCKET_MEETING_ROLE_SECRETARY },
  { NULL, 0 },
};

/* Last month's session: eleven of the twelve members came (two of them remote), one left
 * at the break; four spoke, and one who asked late was still waiting at the close. */
static const DemoPresence last_month_attendance[] = {
  { "thuky", "present", -35 },
  { "chutich", "present", -20 },
  { "phochutich", "present", -18 },
  { "daibieu1", "present", -15 },
  { "daibieu2", "present", -12 },
  { "daibieu3", "present", -10 },
  { "daibieu4", "present", -8 },
  { "giamdocstc", "present", -6 },
  { "daibieu5", "present", -5 },
  { "daibieu6", "present", -4 },
  { "daibieu7", "remote", -2 },
  { "daibieu8", "present", 1 },
  { "daibieu9", "remote", 3 },
  { "daibieu4", "absent", 135 },
  { NULL, NULL, 0 },
};

static const DemoSpeech last_month_speeches[] = {
  { "daibieu2", 35, 40, 46 },
  { "daibieu3", 37, 46, 53 },
  { "phochutich", 90, 91, 96 },
  { "giamdocstc", 93, 96, 104 },
  { "daibieu6", 190, -1, 204 },
  { NULL, 0, 0, 0 },
};

static const DemoSession last_month_session = {
  2, 204, 300, last_month_attendance, last_month_speeches
};

static const DemoItem last_month_items[] = {
  { -1, "1", "Báo cáo công tác quý III năm 2026", "Ủy ban nhân dân tỉnh", "",
    { { "ỦY BAN NHÂN DÂN", "BC-UBND", "Báo cáo công tác quý III năm 2026", 3 } } },
  { 0, "1.1", "Thảo luận tại tổ", "Các Tổ đại biểu",
    "Đại biểu thảo luận theo 4 tổ tại các phòng họp tầng 2.", { { NULL } } },
  { -1, "2", "Nghị quyết ban hành bảng giá đất", "Sở Tài nguyên và Môi trường", "",
    { { "HỘI ĐỒNG NHÂN DÂN", "NQ-HĐND", "Nghị quyết ban hành bảng giá đất giai đoạn 2026–2030", 3 } } },
};

static const DemoItem today_items[] = {
  { -1, "1", "Khai mạc kỳ họp", "Chủ tịch HĐND tỉnh",
    "Phát biểu khai mạc và thông qua chương trình kỳ họp.",
    { { "HỘI ĐỒNG NHÂN DÂN", "CT-HĐND", "Chương trình kỳ họp thứ 12", 2 } } },
  { -1, "2", "Báo cáo tình hình kinh tế – xã hội năm 2026", "Ủy ban nhân dân tỉnh", "",
    { { "ỦY BAN NHÂN DÂN", "BC-UBND", "Báo cáo tình hình kinh tế – xã hội năm 2026", 4 } } },
  { 1, "2.1", "Báo cáo thẩm tra của Ban Kinh tế – Ngân sách", "Trưởng Ban Kinh tế – Ngân sách", "",
    { { "HỘI ĐỒNG NHÂN DÂN", "BC-KTNS", "Báo cáo thẩm tra", 3 } } },
  { 1, "2.2", "Nghị quyết về kế hoạch phát triển kinh tế – xã hội năm 2027",
    "Sở Kế hoạch và Đầu tư", "",
    { { "ỦY BAN NHÂN DÂN", "TTr-UBND",
        "Tờ trình về kế hoạch phát triển kinh tế – xã hội năm 2027", 3 },
      { "HỘI ĐỒNG NHÂN DÂN", "NQ-HĐND",
        "Dự thảo Nghị quyết về kế hoạch phát triển kinh tế – xã hội năm 2027", 3 } } },
  { -1, "3", "Dự toán ngân sách nhà nước năm 2027", "Sở Tài chính", "",
    { { "ỦY BAN NHÂN DÂN", "TTr-UBND", "Tờ trình về dự toán ngân sách nhà nước năm 2027", 4 } } },
  { 4, "3.1", "Dự thảo Nghị quyết phân bổ dự toán ngân sách tỉnh năm 2027", "Sở Tài chính", "",
    { { "HỘI ĐỒNG NHÂN DÂN", "NQ-HĐND",
        "Dự thảo Nghị quyết phân bổ dự toán ngân sách năm 2027", 3 } } },
  { -1, "4", "Bế mạc kỳ họp", "Chủ tịch HĐND tỉnh", "", { { NULL } } },
};

static const DemoItem next_week_items[] = {
  { -1, "1", "Điều chỉnh kế hoạch đầu tư công trung hạn", "Sở Kế hoạch và Đầu tư", "",
    { { "ỦY BAN NHÂN DÂN", "TTr-UBND",
        "Tờ trình điều chỉnh kế hoạch đầu tư công trung hạn 2026–2030", 3 } } },
  { -1, "2", "Kết quả giám sát chuyên đề về đất đai", "Ban Pháp chế HĐND tỉnh", "",
    { { "HỘI ĐỒNG NHÂN DÂN", "BC-HĐND",
        "Báo cáo kết quả giám sát việc quản lý, sử dụng đất đai", 3 } } },
};

/* In the order they are seeded. */
static const DemoMeeting demo_meetings[] = {
  { "Kỳ họp thứ 11, HĐND tỉnh khóa X", "Hội trường UBND tỉnh, tầng 3", -30,
    DOCKET_MEETING_STATUS_CLOSED, DOCKET_QUORUM_MAJORITY, council_session,
    last_month_items, G_N_ELEMENTS (last_month_items), &last_month_session },
  { "Kỳ họp thứ 12 (chuyên đề), HĐND tỉnh khóa X", "Hội trường UBND tỉnh, tầng 3", 0,
    DOCKET_MEETING_STATUS_PUBLISHED, DOCKET_QUORUM_MAJORITY, council_session,
    today_items, G_N_ELEMENTS (today_items), NULL },
  { "Phiên họp Thường trực HĐND tỉnh tháng 12", "Phòng họp số 2, trụ sở HĐND tỉnh", 7,
    DOCKET_MEETING_STATUS_PUBLISHED, DOCKET_QUORUM_TWO_THIRDS, standing_committee,
    next_week_items, G_N_ELEMENTS (next_week_items), NULL },
};

/* A past session, written as it happened (the live endpoints would stamp the server's
 * clock of today): one transaction of direct writes, a sequence number per change, the
 * rows as docket-server-db-live.c leaves them. */

/* minute minutes after 08:00 on the meeting's day, as the server writes its times (with
 * its own offset). */
static char *
session_time (int days,
              int minute)
{
  g_autoptr(GDateTime) starts_at = NULL;
  g_autoptr(GDateTime) ends_at = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) local = NULL;

  meeting_times (days, &starts_at, &ends_at);
  at = g_date_time_add_minutes (starts_at, minute);
  local = g_date_time_to_local (at);
  return docket_protocol_format_time (local);
}

static gboolean
record_presence (DocketServerDb      *db,
                 const char          *meeting_id,
                 int                  days,
                 const DemoPresence  *entry,
                 GError             **error)
{
  g_autofree char *id = docket_server_db_new_id ('a');
  g_autofree char *at = session_time (days, entry->minute);
  gint64 seq;

  /* The attendance keeps the last presence; the log, every one. */
  return (seq = docket_server_db_next_seq (db, error)) >= 0 &&
         docket_server_db_run (db,
                               "INSERT INTO attendance (id, meeting_id, user_id, presence, since, version)"
                               " SELECT ?1, ?2, id, ?4, ?5, ?6 FROM users WHERE username = ?3"
                               " ON CONFLICT (meeting_id, user_id) DO UPDATE SET"
                               "  presence = excluded.presence, since = excluded.since,"
                               "  version = excluded.version", error,
                               DOCKET_SERVER_DB_TEXT (id), DOCKET_SERVER_DB_TEXT (meeting_id),
                               DOCKET_SERVER_DB_TEXT (entry->username),
                               DOCKET_SERVER_DB_TEXT (entry->presence), DOCKET_SERVER_DB_TEXT (at),
                               DOCKET_SERVER_DB_INT (seq)) &&
         docket_server_db_run (db,
                               "INSERT INTO attendance_log (meeting_id, user_id, presence, at, seq)"
                               " SELECT ?1, id, ?3, ?4, ?5 FROM users WHERE username = ?2", error,
                               DOCKET_SERVER_DB_TEXT (meeting_id),
                               DOCKET_SERVER_DB_TEXT (entry->username),
                               DOCKET_SERVER_DB_TEXT (entry->presence), DOCKET_SERVER_DB_TEXT (at),
                               DOCKET_SERVER_DB_INT (seq));
}

/* A speech, numbered with the number at which the floor was asked for. */
static gboolean
record_speech (DocketServerDb     *db,
               const char         *meeting_id,
               int                 days,
               const DemoSession  *session,
               const DemoSpeech   *speech,
               GError            **error)
{
  g_autofree char *id = docket_server_db_new_id ('s');
  g_autofree char *requested_at = session_time (days, speech->requested);
  g_autofree char *started_at = speech->started >= 0 ? session_time (days, speech->started) : NULL;
  g_autofree char *ended_at = session_time (days, speech->ended);
  gint64 seq;

  return (seq = docket_server_db_next_seq (db, error)) >= 0 &&
         docket_server_db_run (db,
                               "INSERT INTO speeches (id, meeting_id, user_id, state, number,"
                               " requested_at, started_at, ended_at, limit_seconds, version)"
                               " SELECT ?1, ?2, id, ?4, ?5, ?6, ?7, ?8, ?9, ?5 FROM users"
                               " WHERE username = ?3", error,
                               DOCKET_SERVER_DB_TEXT (id), DOCKET_SERVER_DB_TEXT (meeting_id),
                               DOCKET_SERVER_DB_TEXT (speech->username),
                               DOCKET_SERVER_DB_TEXT (started_at != NULL ? "done" : "withdrawn"),
                               DOCKET_SERVER_DB_INT (seq), DOCKET_SERVER_DB_TEXT (requested_at),
                               DOCKET_SERVER_DB_TEXT (started_at), DOCKET_SERVER_DB_TEXT (ended_at),
                               DOCKET_SERVER_DB_INT (started_at != NULL ? session->speech_limit_seconds : 0));
}

static gboolean
record_ended_state (DocketServerDb     *db,
                    const char         *meeting_id,
                    int                 days,
                    const DemoSession  *session,
                    GError            **error)
{
  g_autofree char *started_at = session_time (days, session->started);
  g_autofree char *ended_at = session_time (days, session->ended);
  gint64 seq;

  return (seq = docket_server_db_next_seq (db, error)) >= 0 &&
         docket_server_db_run (db,
                               "INSERT INTO meeting_states (meeting_id, phase, started_at, ended_at,"
                               " speech_limit_seconds, version) VALUES (?, 'ended', ?, ?, ?, ?)", error,
                               DOCKET_SERVER_DB_TEXT (meeting_id), DOCKET_SERVER_DB_TEXT (started_at),
                               DOCKET_SERVER_DB_TEXT (ended_at),
                               DOCKET_SERVER_DB_INT (session->speech_limit_seconds),
                               DOCKET_SERVER_DB_INT (seq));
}

static gboolean
record_session (Seeder             *seeder,
                const char         *meeting_id,
                int                 days,
                const DemoSession  *session,
                GError            **error)
{
  gboolean ok;

  if (!docket_server_db_begin (seeder->db, error))
    return FALSE;
  ok = TRUE;
  for (guint i = 0; ok && session->attendance[i].username != NULL; i++)
    ok = record_presence (seeder->db, meeting_id, days, &session->attendance[i], error);
  for (guint i = 0; ok && session->speeches[i].username != NULL; i++)
    ok = record_speech (seeder->db, meeting_id, days, session, &session->speeches[i], error);
  ok = ok && record_ended_state (seeder->db, meeting_id, days, session, error);
  if (!ok)
    {
      docket_server_db_rollback (seeder->db);
      return FALSE;
    }
  return docket_server_db_commit (seeder->db, error);
}

static gboolean
seed_meeting (Seeder                 *seeder,
              const DocketServerUser *secretary,
              const DemoMeeting      *meeting,
              GError                **error)
{
  g_autofree char *meeting_id = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_agenda_item_record_free);

  /* The meeting gets its status first, then the history of a session held (its times
   * say when it happened; its versions, only that it was written), then its agenda: the
   * meeting's own version stays below those of everything in it, so that a feed of
   * small pages needs no copy of the meeting before them (test-server-meetings counts
   * them). */
  meeting_id = add_meeting (seeder, secretary, meeting->title, meeting->location, meeting->days,
                            meeting->quorum, meeting->participants, error);
  if (meeting_id == NULL ||
      !set_meeting_status (seeder, meeting_id, meeting->status, error) ||
      (meeting->held != NULL &&
       !record_session (seeder, meeting_id, meeting->days, meeting->held, error)))
    return FALSE;
  for (guint i = 0; i < meeting->n_items; i++)
    {
      const DemoItem *item = &meeting->items[i];
      const char *parent_id = NULL;
      DocketAgendaItemRecord *record;

      /* A parent always comes before its sub-items in the table. */
      g_assert (item->parent < (int) i);
      if (item->parent >= 0)
        parent_id = ((DocketAgendaItemRecord *) g_ptr_array_index (items, item->parent))->id;
      record = add_item (seeder, meeting_id, parent_id, item->number, item->title,
                         item->presenter, item->description, error);
      if (record == NULL)
        return FALSE;
      g_ptr_array_add (items, record);
      for (guint d = 0; d < G_N_ELEMENTS (item->documents) && item->documents[d].issuer; d++)
        if (!add_document (seeder, record->id, item->documents[d].issuer, item->documents[d].kind,
                           item->documents[d].title, item->documents[d].pages, error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
seed_meetings (Seeder                 *seeder,
               const DocketServerUser *secretary,
               GError                **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_meetings); i++)
    if (!seed_meeting (seeder, secretary, &demo_meetings[i], error))
      return FALSE;
  return TRUE;
}

gboolean
docket_server_demo_seed (DocketServerDb     *db,
                         DocketServerBlobs  *blobs,
                         GString            *accounts,
                         GError            **error)
{
  g_autofree char *seeded = docket_server_db_get_meta (db, "demo_seeded");
  g_autoptr(DocketServerUser) secretary = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  Seeder seeder = { db, blobs, 0 };

  if (seeded != NULL)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_EXISTS,
                           _("This data folder already holds the demo organisation; "
                             "it is seeded only once"));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_autofree char *password = random_password ();
      g_autofree char *hash = docket_server_auth_hash_password (password, error);

      if (hash == NULL ||
          !docket_server_db_add_user (db, demo_users[i].username, demo_users[i].display_name,
                                      demo_users[i].role, ORGAN, hash, error))
        return FALSE;
      g_string_append_printf (lines, "%s\t%s\t%s\n", demo_users[i].username,
                              docket_role_to_string (demo_users[i].role), password);
    }

  secretary = docket_server_db_find_user (db, "thuky", error);
  if (secretary == NULL ||
      !seed_meetings (&seeder, secretary, error) ||
      !docket_server_db_set_meta (db, "demo_seeded", "1", error))
    return FALSE;

  g_string_append (accounts, lines->str);
  return TRUE;
}

/* The archive (seed-archive) */

#define ARCHIVE_ORGAN      "UBND tỉnh"
#define ARCHIVE_SECRETARY  "luutru-thuky"
#define ARCHIVE_OFFICIAL   "luutru-daibieu"
/* Every fifth agenda item starts a section; the four after it are its sub-items. */
#define ARCHIVE_SECTION    5

#define TEXT(s) DOCKET_SERVER_DB_TEXT (s)
#define INT(n)  DOCKET_SERVER_DB_INT (n)

typedef struct {
  DocketServerDb                *db;
  const DocketServerArchiveSize *size;
  const char                    *sha256;
  gint64                         pdf_size;
  int                            pdf_pages;
} Archive;

static gboolean
add_archive_user (DocketServerDb  *db,
                  const char      *username,
                  const char      *display_name,
                  DocketRole       role,
                  const char      *password,
                  const char      *hash,
                  GString         *lines,
                  GError         **error)
{
  if (!docket_server_db_add_user (db, username, display_name, role, ARCHIVE_ORGAN, hash, error))
    return FALSE;
  g_string_append_printf (lines, "%s\t%s\t%s\n", username, docket_role_to_string (role), password);
  return TRUE;
}

static gboolean
add_archive_users (DocketServerDb                *db,
                   const DocketServerArchiveSize *size,
                   GString                       *lines,
                   GError                       **error)
{
  g_autofree char *secretary_password = random_password ();
  g_autofree char *official_password = random_password ();
  g_autofree char *secretary_hash = NULL;
  g_autofree char *official_hash = NULL;

  if ((secretary_hash = docket_server_auth_hash_password (secretary_password, error)) == NULL ||
      (official_hash = docket_server_auth_hash_password (official_password, error)) == NULL ||
      !add_archive_user (db, ARCHIVE_SECRETARY, "Văn thư lưu trữ", DOCKET_ROLE_SECRETARY,
                         secretary_password, secretary_hash, lines, error))
    return FALSE;
  for (guint i = 1; i <= size->officials; i++)
    {
      g_autofree char *username = g_strdup_printf ("%s%u", ARCHIVE_OFFICIAL, i);
      g_autofree char *display_name = g_strdup_printf ("Đại biểu số %u", i);

      if (!add_archive_user (db, username, display_name, DOCKET_ROLE_OFFICIAL,
                             official_password, official_hash, lines, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_archive_items (Archive     *archive,
                   const char  *meeting_id,
                   gint64       seq,
                   GPtrArray   *item_ids,
                   GError     **error)
{
  g_autofree char *section_id = NULL;
  guint sections = 0;
  guint subs = 0;

  for (guint i = 0; i < archive->size->items; i++)
    {
      g_autofree char *id = docket_server_db_new_id ('i');
      g_autofree char *number = NULL;
      g_autofree char *title = NULL;
      gboolean starts_section = i % ARCHIVE_SECTION == 0;

      if (starts_section)
        {
          number = g_strdup_printf ("%u", ++sections);
          subs = 0;
        }
      else
        number = g_strdup_printf ("%u.%u", sections, ++subs);
      title = g_strdup_printf ("Nội dung %s", number);
      if (!docket_server_db_run (archive->db,
                                 "INSERT INTO items (id, meeting_id, parent_id, position, number,"
                                 " title, presenter, description, version)"
                                 " VALUES (?, ?, ?, ?, ?, ?, 'Văn phòng UBND tỉnh', '', ?)", error,
                                 TEXT (id), TEXT (meeting_id),
                                 TEXT (starts_section ? NULL : section_id),
                                 INT (starts_section ? sections - 1 : subs - 1),
                                 TEXT (number), TEXT (title), INT (seq)))
        return FALSE;
      if (starts_section)
        {
          g_free (section_id);
          section_id = g_strdup (id);
        }
      g_ptr_array_add (item_ids, g_steal_pointer (&id));
    }
  return TRUE;
}

static gboolean
add_archive_documents (Archive     *archive,
                       const char  *meeting_id,
                       gint64       seq,
                       GPtrArray   *item_ids,
                       GError     **error)
{
  g_autofree guint *positions = g_new0 (guint, MAX (item_ids->len, 1));

  for (guint d = 0; d < archive->size->documents; d++)
    {
      g_autofree char *id = docket_server_db_new_id ('d');
      g_autofree char *title = g_strdup_printf ("Tài liệu số %u", d + 1);
      guint item = d % item_ids->len;

      if (!docket_server_db_run (archive->db,
                                 "INSERT INTO documents (id, meeting_id, item_id, position, title,"
                                 " media_type, sha256, size, pages, version)"
                                 " VALUES (?, ?, ?, ?, ?, 'application/pdf', ?, ?, ?, ?)", error,
                                 TEXT (id), TEXT (meeting_id),
                                 TEXT (g_ptr_array_index (item_ids, item)),
                                 INT (positions[item]++), TEXT (title), TEXT (archive->sha256),
                                 INT (archive->pdf_size), INT (archive->pdf_pages), INT (seq)))
        return FALSE;
    }
  return TRUE;
}

/* One published meeting, everything of it under one new sequence number, with the access
 * rows of everyone who sees it (as docket-server-db-meetings.c leaves them). */
static gboolean
add_archive_meeting (Archive  *archive,
                     guint     index,
                     GError  **error)
{
  g_autofree char *id = docket_server_db_new_id ('m');
  g_autofree char *title = g_strdup_printf ("Phiên họp lưu trữ số %u", index + 1);
  g_autofree char *starts_at = NULL;
  g_autofree char *ends_at = NULL;
  g_autoptr(GPtrArray) item_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  gint64 seq;

  /* One a day, the last one today. */
  meeting_times ((int) index - (int) archive->size->meetings + 1, &start, &end);
  starts_at = docket_protocol_format_time (start);
  ends_at = docket_protocol_format_time (end);

  return (seq = docket_server_db_next_seq (archive->db, error)) >= 0 &&
         docket_server_db_run (archive->db,
                               "INSERT INTO meetings (id, title, organ, starts_at, ends_at,"
                               " time_zone, location, status, version)"
                               " VALUES (?, ?, ?, ?, ?, ?, 'Phòng họp số 1', 'published', ?)", error,
                               TEXT (id), TEXT (title), TEXT (ARCHIVE_ORGAN), TEXT (starts_at),
                               TEXT (ends_at), TEXT (TIME_ZONE), INT (seq)) &&
         docket_server_db_run (archive->db,
                               "INSERT INTO participants (meeting_id, user_id)"
                               " SELECT ?1, id FROM users WHERE role = 'official' AND organ = ?2"
                               " AND username LIKE '" ARCHIVE_OFFICIAL "%'", error,
                               TEXT (id), TEXT (ARCHIVE_ORGAN)) &&
         add_archive_items (archive, id, seq, item_ids, error) &&
         add_archive_documents (archive, id, seq, item_ids, error) &&
         docket_server_db_run (archive->db,
                               "INSERT INTO access (seq, user_id, meeting_id, visible)"
                               " SELECT ?1, u.id, m.id, 1 FROM users u, meetings m"
                               " WHERE m.id = ?2 AND u.disabled = 0 AND (u.role = 'admin'"
                               "  OR (u.role = 'secretary' AND u.organ = m.organ)"
                               "  OR EXISTS (SELECT 1 FROM participants p"
                               "   WHERE p.meeting_id = m.id AND p.user_id = u.id))", error,
                               INT (seq), TEXT (id));
}

gboolean
docket_server_demo_seed_archive (DocketServerDb                *db,
                                 DocketServerBlobs             *blobs,
                                 const DocketServerArchiveSize *size,
                                 GString                       *accounts,
                                 GError                       **error)
{
  g_autofree char *seeded = docket_server_db_get_meta (db, "archive_seeded");
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *sha256 = NULL;
  Archive archive = { db, size, NULL, 0, 0 };
  gboolean ok;

  g_return_val_if_fail (size->documents == 0 || size->items > 0, FALSE);

  if (seeded != NULL)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_EXISTS,
                           _("This data folder already holds a seeded archive; "
                             "it is seeded only once"));
      return FALSE;
    }

  pdf = docket_server_demo_make_pdf ("ỦY BAN NHÂN DÂN", "1/LT", "Tài liệu lưu trữ", 1);
  if ((archive.pdf_pages = docket_server_pdf_check (pdf, error)) < 0 ||
      (sha256 = docket_server_blobs_store (blobs, pdf, error)) == NULL)
    return FALSE;
  archive.sha256 = sha256;
  archive.pdf_size = (gint64) g_bytes_get_size (pdf);

  if (!docket_server_db_begin (db, error))
    return FALSE;
  ok = add_archive_users (db, size, lines, error);
  for (guint i = 0; ok && i < size->meetings; i++)
    ok = add_archive_meeting (&archive, i, error);
  ok = ok && docket_server_db_set_meta (db, "archive_seeded", "1", error);
  if (!ok)
    {
      docket_server_db_rollback (db);
      return FALSE;
    }
  if (!docket_server_db_commit (db, error))
    return FALSE;

  g_string_append (accounts, lines->str);
  return TRUE;
}
