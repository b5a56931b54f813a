// The events of iCalendar files as ical.js reads them (Mozilla's parser: Thunderbird, Nextcloud),
// one JSON line per event: the zone definitions come from the file itself, as in those clients.
import fs from "node:fs";
import ICAL from "ical.js";

for (const file of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    const start = event.startDate;
    console.log(JSON.stringify({
      file, summary: event.summary, uid: event.uid,
      start: start.isDate ? start.toString() : start.toJSDate().toISOString(),
      categories: component.getAllProperties("categories").flatMap((p) => p.getValues()),
    }));
  }
}
