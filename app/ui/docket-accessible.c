/* docket-accessible.c: names for what a screen reader hears where GTK 4.8 gives none */
#include "config.h"

#include "docket-accessible.h"

void
docket_accessible_label_list_row (GtkWidget  *child,
                                  const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (label != NULL);

  /* By role, not by type: the row's type is private to GTK. */
  for (GtkWidget *widget = gtk_widget_get_parent (child); widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

      if (role == GTK_ACCESSIBLE_ROLE_LIST_ITEM || role == GTK_ACCESSIBLE_ROLE_GRID_CELL)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          return;
        }
      /* A list inside a row is not the row's business. */
      if (GTK_IS_LIST_VIEW (widget) || GTK_IS_GRID_VIEW (widget))
        return;
    }
}

/* The first button shown at or under widget's children (an AdwEntryRow also holds an
 * apply button it hides). */
static GtkWidget *
find_shown_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button;

      if (!gtk_widget_get_visible (child))
        continue;
      button = GTK_IS_BUTTON (child) ? child : find_shown_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

gboolean
docket_accessible_label_inner_button (GtkWidget  *widget,
                                      const char *label)
{
  GtkWidget *button;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  button = find_shown_button (widget);
  if (button == NULL)
    return FALSE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return TRUE;
}

void
docket_accessible_name_button_by_text (GtkButton *button)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  /* gtk_button_set_label made the raw label ("_Retry") the accessible label; without
   * one, GTK names the button by the text its label shows ("Retry"). */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}
