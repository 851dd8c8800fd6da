// The staff calendar (FullCalendar): week, month and list views of /staff/calendar/events.json.
// Its settings come from the #calendar element's data attributes (no inline script: Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("calendar");
  var errorBox = document.getElementById("calendar-error");
  var calendar = new FullCalendar.Calendar(element, {
    // On a phone a week of seven columns is unreadable: start with the list.
    initialView: window.matchMedia("(max-width: 40rem)").matches ? "listWeek" : "timeGridWeek",
    timeZone: element.dataset.timeZone,
    headerToolbar: { left: "prev,next today", center: "title", right: "timeGridWeek,dayGridMonth,listWeek" },
    // Words rather than icon fonts: the icons are role="img" without a name.
    buttonIcons: false,
    buttonText: {
      prev: element.dataset.labelPrev, next: element.dataset.labelNext, today: element.dataset.labelToday,
      week: element.dataset.labelWeek, month: element.dataset.labelMonth, list: element.dataset.labelList
    },
    slotMinTime: "07:00:00",
    slotMaxTime: "21:00:00",
    nowIndicator: true,
    height: "auto",
    events: {
      url: element.dataset.eventsUrl,
      failure: function () { errorBox.textContent = element.dataset.error; errorBox.hidden = false; }
    },
    eventDidMount: function (info) {
      info.el.setAttribute("title", info.event.title);
    },
    // FullCalendar names the view, its day headers and its day numbers with aria attributes on
    // elements that have no role, where they are ignored; and it labels a month cell by its date
    // alone, which hides the events it shows. Give the view a role and let the rest be named by
    // what they show.
    viewDidMount: function () {
      var harness = element.querySelector(".fc-view-harness[aria-labelledby]");
      if (harness) { harness.setAttribute("role", "region"); }
    },
    dayHeaderDidMount: function (info) {
      info.el.querySelectorAll("a:not([href])[aria-label]").forEach(function (a) { a.removeAttribute("aria-label"); });
    },
    dayCellDidMount: function (info) {
      info.el.querySelectorAll("a:not([href])[aria-label]").forEach(function (a) { a.removeAttribute("aria-label"); });
      if (info.view.type === "dayGridMonth") { info.el.removeAttribute("aria-labelledby"); }
    }
  });
  calendar.render();
});
