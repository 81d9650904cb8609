# ruff: noqa: E501 - German sentences read better unbroken than split to fit the line length.
"""Text building blocks for the demo data.

Everything here is invented for demonstration, except the names and web addresses of the standards, the
Handlungsfelder (common German terms) and the Modellprojekte Smart Cities participants (see data/SOURCE.md).
German content only: the demo rows stand for what vendors and editors would type in German.
"""

# Handlungsfelder: slug, German name, English name, German description, English description.
CATEGORIES = [
    (
        "mobilitaet",
        "Mobilität",
        "Mobility",
        "Parken, öffentlicher Nahverkehr, Radverkehr, Ladeinfrastruktur und Verkehrssteuerung.",
        "Parking, public transport, cycling, charging infrastructure and traffic management.",
    ),
    (
        "energie-umwelt",
        "Energie & Umwelt",
        "Energy & environment",
        "Energiemanagement kommunaler Gebäude, Straßenbeleuchtung, Klimaschutz und Umweltmessungen.",
        "Energy management of municipal buildings, street lighting, climate protection and "
        "environmental monitoring.",
    ),
    (
        "verwaltung",
        "Verwaltung",
        "Administration",
        "Digitale Verwaltungsleistungen nach dem OZG, E-Akte, Terminvergabe und interne Abläufe.",
        "Digital administrative services under the Online Access Act, e-files, appointments and "
        "internal processes.",
    ),
    (
        "gesundheit-pflege",
        "Gesundheit & Pflege",
        "Health & care",
        "Gesundheitsamt, Pflegeplatzsuche, Quartierspflege und telemedizinische Angebote.",
        "Public health office, finding care places, neighbourhood care and telemedicine.",
    ),
    (
        "bildung",
        "Bildung",
        "Education",
        "Schul-IT, Lernplattformen, Medienentwicklungsplanung und Bibliotheken.",
        "School IT, learning platforms, media development planning and libraries.",
    ),
    (
        "sicherheit-katastrophenschutz",
        "Sicherheit & Katastrophenschutz",
        "Safety & civil protection",
        "Warnung der Bevölkerung, Hochwasser- und Starkregenvorsorge, Lagebilder für Krisenstäbe.",
        "Warning the public, flood and heavy-rain precautions, situation pictures for crisis teams.",
    ),
    (
        "stadtentwicklung-bauen",
        "Stadtentwicklung & Bauen",
        "Urban development & building",
        "Digitale Bauanträge, digitale Zwillinge, Bauleitplanung und Leerstandsmanagement.",
        "Digital building permits, digital twins, land-use planning and vacancy management.",
    ),
    (
        "datenplattform-infrastruktur",
        "Datenplattform & Infrastruktur",
        "Data platform & infrastructure",
        "Urbane Datenplattformen, Sensornetze, offene Daten und kommunale Netze.",
        "Urban data platforms, sensor networks, open data and municipal networks.",
    ),
    (
        "beteiligung",
        "Beteiligung",
        "Participation",
        "Bürgerbeteiligung online, Mängelmelder, Bürgerhaushalt und Ratsinformationssysteme.",
        "Online citizen participation, issue reporting, participatory budgets and council information "
        "systems.",
    ),
    (
        "wirtschaft-tourismus",
        "Wirtschaft & Tourismus",
        "Economy & tourism",
        "Innenstadtbelebung, lokaler Handel, Besucherlenkung und Gewerbeflächen.",
        "Reviving town centres, local retail, visitor guidance and commercial land.",
    ),
    (
        "wasser-abfall",
        "Wasser & Abfall",
        "Water & waste",
        "Füllstandsmessung, Abfalllogistik, Wasserversorgung und Kanalnetz.",
        "Fill-level sensing, waste logistics, water supply and sewer networks.",
    ),
    (
        "kultur-freizeit",
        "Kultur & Freizeit",
        "Culture & leisure",
        "Veranstaltungskalender, Bäder- und Hallenbuchung, digitale Museen und Vereinsleben.",
        "Event calendars, booking pools and halls, digital museums and club life.",
    ),
]

# Real standards and specifications with their official web addresses: slug, name, url, description.
STANDARDS = [
    (
        "din-spec-91357",
        "DIN SPEC 91357",
        "https://www.dinmedia.de/de/technische-regel/din-spec-91357/281077528",
        "Referenzarchitekturmodell Offene Urbane Plattform (OUP).",
    ),
    (
        "oparl",
        "OParl",
        "https://oparl.org/",
        "Offene Schnittstelle für parlamentarische Informationssysteme.",
    ),
    (
        "fiware-ngsi-ld",
        "FIWARE NGSI-LD",
        "https://www.etsi.org/committee/cim",
        "ETSI-Standard für Kontextinformationen, Grundlage vieler urbaner Datenplattformen.",
    ),
    (
        "ogc-sensorthings-api",
        "OGC SensorThings API",
        "https://www.ogc.org/standards/sensorthings/",
        "Offene Schnittstelle für Sensordaten im Internet der Dinge.",
    ),
    (
        "lorawan",
        "LoRaWAN",
        "https://lora-alliance.org/about-lorawan/",
        "Funkprotokoll für energiesparende Sensornetze mit großer Reichweite.",
    ),
    (
        "xbau",
        "XBau",
        "https://www.xoev.de/",
        "XÖV-Standard für den Datenaustausch im Bauantragsverfahren.",
    ),
    (
        "fit-connect",
        "FIT-Connect",
        "https://docs.fitko.de/fit-connect/",
        "Übermittlungsinfrastruktur der FITKO für Anträge nach dem Onlinezugangsgesetz.",
    ),
    (
        "dcat-ap-de",
        "DCAT-AP.de",
        "https://www.dcat-ap.de/",
        "Deutsches Metadatenprofil für offene Verwaltungsdaten.",
    ),
    ("mqtt", "MQTT", "https://mqtt.org/", "Leichtgewichtiges Nachrichtenprotokoll (OASIS-Standard)."),
    (
        "openapi",
        "OpenAPI",
        "https://www.openapis.org/",
        "Beschreibungsformat für HTTP-Schnittstellen.",
    ),
    ("gtfs", "GTFS", "https://gtfs.org/", "Austauschformat für Fahrpläne des öffentlichen Verkehrs."),
    (
        "datex-ii",
        "DATEX II",
        "https://datex2.eu/",
        "Europäischer Standard für den Austausch von Verkehrsdaten.",
    ),
    (
        "iso-37120",
        "ISO 37120",
        "https://www.iso.org/standard/68498.html",
        "Indikatoren für nachhaltige Städte und Gemeinden.",
    ),
    (
        "wcag-2-1",
        "WCAG 2.1",
        "https://www.w3.org/TR/WCAG21/",
        "Richtlinien für barrierefreie Webinhalte des W3C.",
    ),
    (
        "geojson",
        "GeoJSON",
        "https://datatracker.ietf.org/doc/html/rfc7946",
        "Format für geografische Daten (RFC 7946).",
    ),
    (
        "xoev-xplanung",
        "XPlanung",
        "https://xleitstelle.de/xplanung",
        "Standard für den Austausch von Bauleit- und Raumordnungsplänen.",
    ),
]

# Per Handlungsfeld: brand prefixes, preferred standards, products (name, summary, features) and the problem
# each solves. Summaries take {brand}; several products use the words people search for (Parkplatz,
# Straßenbeleuchtung, Bürgerbeteiligung ...).
FIELDS = {
    "mobilitaet": {
        "brands": ["Park", "Verkehrs", "Rad", "Mobil", "Lade", "Takt", "Wege"],
        "standards": ["gtfs", "datex-ii", "lorawan", "ogc-sensorthings-api", "openapi", "mqtt"],
        "problem": "Parksuchverkehr, volle Busse und fehlende Daten zum Radverkehr belasten die Innenstadt.",
        "products": [
            (
                "Parkplatz-Sensorik",
                "{brand} erkennt mit Bodensensoren freie Parkplätze und zeigt die Belegung in Echtzeit an.",
                [
                    "Belegung einzelner Parkplätze per Funksensor",
                    "Anzeige freier Parkplätze in App und auf Parkleittafeln",
                    "Auswertung der Parkdauer für die Parkraumplanung",
                ],
            ),
            (
                "Parkraummanagement",
                "{brand} bündelt Parkscheine, Bewohnerparken und Kontrolle in einem System für die Kommune.",
                [
                    "Digitale Bewohnerparkausweise mit Online-Antrag",
                    "Handyparken an allen öffentlichen Parkplätzen",
                    "Kontrolle der Parkplätze mit mobilen Geräten",
                ],
            ),
            (
                "Verkehrsflussanalyse",
                "{brand} misst Verkehrsströme anonym und liefert Grundlagen für Ampelschaltung und Planung.",
                [
                    "Anonyme Zählung von Kfz, Rad- und Fußverkehr",
                    "Dashboards für Verkehrsplanung und Politik",
                    "Export der Daten im DATEX-II-Format",
                ],
            ),
            (
                "Ladesäulen-Verwaltung",
                "{brand} plant, betreibt und rechnet öffentliche Ladeinfrastruktur für Elektrofahrzeuge ab.",
                [
                    "Standortplanung für Ladesäulen nahe stark genutzter Parkplätze",
                    "Fernwartung und Störungsmeldungen",
                    "Abrechnung per Ad-hoc-Zahlung",
                ],
            ),
            (
                "Rufbus-Plattform",
                "{brand} bringt den On-Demand-Rufbus in den ländlichen Raum, buchbar per App und Telefon.",
                [
                    "Buchung per App, Web und Telefon",
                    "Bündelung von Fahrten in Echtzeit",
                    "Anbindung an den Fahrplan des Verkehrsverbunds (GTFS)",
                ],
            ),
            (
                "Radverkehrszählung",
                "{brand} zählt Radfahrende an Dauerzählstellen und veröffentlicht die Daten als Open Data.",
                [
                    "Dauerzählstellen mit Solarversorgung",
                    "Offene Daten über eine SensorThings-Schnittstelle",
                    "Auswertung von Radwegen vor und nach dem Ausbau",
                ],
            ),
        ],
    },
    "energie-umwelt": {
        "brands": ["Licht", "Klima", "Energie", "Luft", "Grün", "Sonnen", "Watt"],
        "standards": ["lorawan", "ogc-sensorthings-api", "mqtt", "iso-37120", "fiware-ngsi-ld"],
        "problem": "Steigende Energiekosten und Klimaziele verlangen Transparenz über Verbrauch und Emissionen.",
        "products": [
            (
                "Smarte Straßenbeleuchtung",
                "{brand} dimmt die Straßenbeleuchtung bedarfsgerecht und meldet defekte Leuchten automatisch.",
                [
                    "Bedarfsgerechtes Dimmen der Straßenbeleuchtung nach Verkehr",
                    "Automatische Störungsmeldung je Leuchte",
                    "Energiebericht für jede Straße",
                ],
            ),
            (
                "Energiemonitoring",
                "{brand} erfasst den Energieverbrauch kommunaler Gebäude und findet Einsparpotenziale.",
                [
                    "Automatische Zählerauslesung in Schulen, Hallen und Rathäusern",
                    "Warnungen bei ungewöhnlichem Verbrauch",
                    "Energieberichte für den Gemeinderat",
                ],
            ),
            (
                "Luftqualitätsmessnetz",
                "{brand} misst Feinstaub, Stickstoffdioxid und Temperatur an vielen Punkten der Stadt.",
                [
                    "Kostengünstige Messstationen mit LoRaWAN-Anbindung",
                    "Hitzekarte für heiße Sommertage",
                    "Offene Daten für Forschung und Zivilgesellschaft",
                ],
            ),
            (
                "Klimaschutz-Cockpit",
                "{brand} macht die Treibhausgasbilanz und den Stand der Klimaschutzmaßnahmen sichtbar.",
                [
                    "Bilanzierung nach gängigen kommunalen Methoden",
                    "Maßnahmenverfolgung mit Ampel",
                    "Öffentliche Darstellung für Bürgerinnen und Bürger",
                ],
            ),
            (
                "Baumbewässerungs-Sensorik",
                "{brand} misst die Bodenfeuchte an Stadtbäumen und plant die Bewässerung nach Bedarf.",
                [
                    "Bodenfeuchtesensoren an Straßenbäumen",
                    "Gießpläne für den Bauhof",
                    "Bürgerinnen und Bürger übernehmen Baumpatenschaften",
                ],
            ),
        ],
    },
    "verwaltung": {
        "brands": ["Amts", "Akten", "Termin", "Form", "Bürger", "Rathaus", "Dienst"],
        "standards": ["fit-connect", "xbau", "openapi", "wcag-2-1"],
        "problem": "Anträge auf Papier, lange Wartezeiten im Bürgerbüro und Medienbrüche zwischen Ämtern.",
        "products": [
            (
                "Online-Antragsassistent",
                "{brand} bietet Verwaltungsleistungen nach dem OZG online an und leitet Anträge per FIT-Connect weiter.",
                [
                    "Formularbaukasten für kommunale Leistungen",
                    "Übermittlung an Fachverfahren über FIT-Connect",
                    "Barrierefreie Formulare nach BITV 2.0",
                ],
            ),
            (
                "Terminvergabe",
                "{brand} verteilt Termine im Bürgerbüro online und verkürzt Wartezeiten.",
                [
                    "Online-Terminbuchung rund um die Uhr",
                    "Aufrufanlage im Wartebereich",
                    "Auswertung der Auslastung",
                ],
            ),
            (
                "E-Akte",
                "{brand} führt Akten elektronisch, revisionssicher und mit Vorgangsbearbeitung.",
                [
                    "Revisionssichere Ablage mit Aktenplan",
                    "Digitale Umlaufmappe und Mitzeichnung",
                    "Anbindung an Fachverfahren",
                ],
            ),
            (
                "Chatbot für Bürgerfragen",
                "{brand} beantwortet häufige Fragen an die Verwaltung rund um die Uhr in einfacher Sprache.",
                [
                    "Antworten aus dem Leistungskatalog der Kommune",
                    "Übergabe an Mitarbeitende bei schwierigen Fragen",
                    "Betrieb ohne Weitergabe personenbezogener Daten",
                ],
            ),
        ],
    },
    "gesundheit-pflege": {
        "brands": ["Pflege", "Vital", "Care", "Quartiers", "Sani"],
        "standards": ["openapi", "wcag-2-1", "fit-connect"],
        "problem": "Pflegeplätze sind knapp, Angehörige finden schwer Hilfe und Gesundheitsämter arbeiten mit Listen.",
        "products": [
            (
                "Pflegeplatzbörse",
                "{brand} zeigt freie Pflegeplätze im Landkreis tagesaktuell an.",
                [
                    "Meldung freier Plätze durch die Einrichtungen",
                    "Suche nach Ort und Pflegegrad",
                    "Auswertungen für die Pflegeplanung",
                ],
            ),
            (
                "Quartierspflege-Netzwerk",
                "{brand} verbindet Nachbarschaftshilfe, Pflegedienste und Beratungsstellen im Quartier.",
                [
                    "Vermittlung von Nachbarschaftshilfe",
                    "Übersicht der Beratungsangebote",
                    "Sichere Kommunikation zwischen Fachkräften",
                ],
            ),
            (
                "Gesundheitsamt-Fallmanagement",
                "{brand} unterstützt das Gesundheitsamt bei Meldungen, Fällen und Kontaktnachverfolgung.",
                [
                    "Digitale Meldewege",
                    "Fallbearbeitung mit Fristen",
                    "Statistiken für die Lage",
                ],
            ),
        ],
    },
    "bildung": {
        "brands": ["Lern", "Schul", "Medien", "Wissens", "Biblio"],
        "standards": ["wcag-2-1", "openapi"],
        "problem": "Schulträger müssen Geräte, Netze und Lernplattformen für viele Schulen betreuen.",
        "products": [
            (
                "Schul-IT-Verwaltung",
                "{brand} verwaltet Geräte, Konten und WLAN aller Schulen eines Schulträgers zentral.",
                [
                    "Zentrale Geräteverwaltung",
                    "Konten für Lehrkräfte und Schülerinnen und Schüler",
                    "Ticketsystem für den Support",
                ],
            ),
            (
                "Lernplattform",
                "{brand} ist eine datensparsame Lernplattform für Schulen, betrieben in deutschen Rechenzentren.",
                [
                    "Kurse, Aufgaben und Videokonferenzen",
                    "Datensparsam und ohne Werbung",
                    "Anbindung an Landesdienste",
                ],
            ),
            (
                "Medienentwicklungsplanung",
                "{brand} unterstützt Schulträger bei der Medienentwicklungsplanung und dem Digitalpakt.",
                [
                    "Bestandsaufnahme je Schule",
                    "Planung von Investitionen",
                    "Berichte für Fördermittelgeber",
                ],
            ),
        ],
    },
    "sicherheit-katastrophenschutz": {
        "brands": ["Warn", "Pegel", "Lage", "Schutz", "Flut"],
        "standards": ["ogc-sensorthings-api", "lorawan", "mqtt", "geojson"],
        "problem": "Starkregen und Hochwasser kommen schnell; Krisenstäbe brauchen ein gemeinsames Lagebild.",
        "products": [
            (
                "Pegelmessnetz",
                "{brand} misst Wasserstände an kleinen Gewässern und warnt früh vor Hochwasser.",
                [
                    "Pegelsensoren an Bächen und Durchlässen",
                    "Warnstufen mit SMS- und App-Benachrichtigung",
                    "Historische Daten für die Starkregenvorsorge",
                ],
            ),
            (
                "Lagebild für Krisenstäbe",
                "{brand} führt Einsatzdaten, Karten und Meldungen zu einem gemeinsamen Lagebild zusammen.",
                [
                    "Gemeinsame Karte für alle Beteiligten",
                    "Tagebuch und Aufgabenverteilung",
                    "Funktioniert auch bei schlechter Verbindung",
                ],
            ),
            (
                "Bevölkerungswarnung",
                "{brand} ergänzt Sirenen und Warn-Apps um Anzeigetafeln und Durchsagen vor Ort.",
                [
                    "Auslösung aus einer Oberfläche",
                    "Mehrsprachige Warntexte",
                    "Protokoll aller Warnungen",
                ],
            ),
        ],
    },
    "stadtentwicklung-bauen": {
        "brands": ["Bau", "Plan", "Stadt", "Raum", "Quartier"],
        "standards": ["xbau", "xoev-xplanung", "geojson", "din-spec-91357"],
        "problem": "Bauanträge dauern lange, Pläne liegen in verschiedenen Formaten und Leerstand bleibt unbemerkt.",
        "products": [
            (
                "Digitaler Bauantrag",
                "{brand} nimmt Bauanträge digital entgegen und tauscht Daten im Standard XBau aus.",
                [
                    "Online-Einreichung mit Vollständigkeitsprüfung",
                    "Beteiligung der Fachstellen",
                    "Datenaustausch nach XBau",
                ],
            ),
            (
                "Digitaler Zwilling",
                "{brand} bildet die Stadt als 3D-Modell ab und macht Planungen vor Ort verständlich.",
                [
                    "3D-Stadtmodell aus Vermessungsdaten",
                    "Varianten für Bürgerbeteiligung vergleichen",
                    "Simulation von Verschattung und Wind",
                ],
            ),
            (
                "Leerstandsmanagement",
                "{brand} erfasst leerstehende Gebäude und Flächen und bringt sie mit Interessierten zusammen.",
                [
                    "Kataster der Leerstände und Baulücken",
                    "Öffentliches Flächenportal",
                    "Auswertung für die Innenentwicklung",
                ],
            ),
        ],
    },
    "datenplattform-infrastruktur": {
        "brands": ["Daten", "Urban", "Sensor", "Netz", "Open"],
        "standards": [
            "din-spec-91357",
            "fiware-ngsi-ld",
            "ogc-sensorthings-api",
            "dcat-ap-de",
            "mqtt",
            "lorawan",
        ],
        "problem": "Daten liegen verteilt in Fachverfahren und Sensornetzen; niemand kann sie zusammen nutzen.",
        "products": [
            (
                "Urbane Datenplattform",
                "{brand} ist eine offene urbane Datenplattform nach DIN SPEC 91357 für Sensor- und Verwaltungsdaten.",
                [
                    "Referenzarchitektur nach DIN SPEC 91357",
                    "Schnittstellen nach NGSI-LD und SensorThings",
                    "Dashboards und Open-Data-Portal",
                ],
            ),
            (
                "LoRaWAN-Netz",
                "{brand} baut ein kommunales LoRaWAN-Netz auf und betreibt es für alle Ämter und Stadtwerke.",
                [
                    "Gateways auf kommunalen Gebäuden",
                    "Netzserver und Geräteverwaltung",
                    "Abrechnung je Sensor für Stadtwerke und Ämter",
                ],
            ),
            (
                "Open-Data-Portal",
                "{brand} veröffentlicht offene Daten der Kommune mit Metadaten nach DCAT-AP.de.",
                [
                    "Metadaten nach DCAT-AP.de, Harvesting durch GovData",
                    "Vorschau für Tabellen und Karten",
                    "Schnittstellen für Entwicklerinnen und Entwickler",
                ],
            ),
        ],
    },
    "beteiligung": {
        "brands": ["Mitmach", "Dialog", "Bürger", "Stimm", "Ideen"],
        "standards": ["oparl", "wcag-2-1", "openapi"],
        "problem": "Bürgerbeteiligung erreicht oft nur wenige, und Anliegen gehen zwischen Ämtern verloren.",
        "products": [
            (
                "Plattform für Bürgerbeteiligung",
                "{brand} bündelt Bürgerbeteiligung online: Umfragen, Ideensammlungen und Kommentare zu Plänen.",
                [
                    "Beteiligungsverfahren ohne Programmierkenntnisse anlegen",
                    "Kommentare direkt an Plänen und Karten",
                    "Auswertung und Rückmeldung an die Beteiligten",
                ],
            ),
            (
                "Mängelmelder",
                "{brand} nimmt Hinweise zu Schlaglöchern, defekter Straßenbeleuchtung und wildem Müll entgegen.",
                [
                    "Meldung mit Foto und Standort",
                    "Weiterleitung an das zuständige Amt",
                    "Öffentlicher Bearbeitungsstand",
                ],
            ),
            (
                "Ratsinformationssystem",
                "{brand} macht Sitzungen, Vorlagen und Beschlüsse des Rates öffentlich, mit OParl-Schnittstelle.",
                [
                    "Sitzungsmanagement für Gremien",
                    "Öffentliche Recherche in Beschlüssen",
                    "OParl-Schnittstelle für offene Daten",
                ],
            ),
            (
                "Bürgerhaushalt",
                "{brand} lässt Bürgerinnen und Bürger Vorschläge für den Haushalt einreichen und bewerten.",
                [
                    "Vorschläge einreichen und kommentieren",
                    "Abstimmung mit Missbrauchsschutz",
                    "Rechenschaft über die Umsetzung",
                ],
            ),
        ],
    },
    "wirtschaft-tourismus": {
        "brands": ["Markt", "Innenstadt", "Gast", "Touri", "Handels"],
        "standards": ["openapi", "geojson", "dcat-ap-de"],
        "problem": "Innenstädte verlieren Frequenz, lokale Händler sind online kaum sichtbar.",
        "products": [
            (
                "Frequenzmessung",
                "{brand} misst die Passantenfrequenz in der Innenstadt anonym und datenschutzkonform.",
                [
                    "Anonyme Zählung ohne Kameras",
                    "Vergleich von Tagen, Wochen und Veranstaltungen",
                    "Berichte für Citymanagement und Handel",
                ],
            ),
            (
                "Lokaler Online-Marktplatz",
                "{brand} bringt den lokalen Handel online, mit Lieferung am selben Tag.",
                [
                    "Schaufenster für Händlerinnen und Händler",
                    "Gemeinsame Lieferlogistik",
                    "Stadtgutschein als Bezahlmittel",
                ],
            ),
            (
                "Besucherlenkung",
                "{brand} lenkt Gäste zu weniger vollen Orten und freien Parkplätzen.",
                [
                    "Auslastung von Ausflugszielen in Echtzeit",
                    "Empfehlungen in Apps und auf Tafeln",
                    "Verknüpfung mit freien Parkplätzen",
                ],
            ),
        ],
    },
    "wasser-abfall": {
        "brands": ["Füll", "Kanal", "Wasser", "Tonnen", "Kreislauf"],
        "standards": ["lorawan", "ogc-sensorthings-api", "mqtt"],
        "problem": "Volle Container, unnötige Leerungsfahrten und unbemerkte Leckagen kosten Geld.",
        "products": [
            (
                "Füllstandsmessung",
                "{brand} misst den Füllstand von Glas- und Altkleidercontainern und plant Touren nach Bedarf.",
                [
                    "Ultraschallsensoren mit LoRaWAN",
                    "Tourenplanung nach Füllstand",
                    "Weniger Leerfahrten und Überfüllungen",
                ],
            ),
            (
                "Kanalnetz-Monitoring",
                "{brand} überwacht Regenüberlaufbecken und Kanäle und warnt vor Überstau.",
                [
                    "Messung von Füllständen im Kanal",
                    "Warnungen bei Starkregen",
                    "Daten für die Generalentwässerungsplanung",
                ],
            ),
            (
                "Abfall-App",
                "{brand} erinnert an Abfuhrtermine und nimmt Sperrmüllanmeldungen online an.",
                [
                    "Abfuhrkalender je Straße",
                    "Sperrmüll online anmelden",
                    "Meldung illegaler Ablagerungen",
                ],
            ),
        ],
    },
    "kultur-freizeit": {
        "brands": ["Kultur", "Freizeit", "Event", "Museums", "Vereins"],
        "standards": ["openapi", "wcag-2-1", "dcat-ap-de"],
        "problem": "Termine stehen verstreut auf vielen Seiten, Hallen und Räume werden per Telefon vergeben.",
        "products": [
            (
                "Veranstaltungskalender",
                "{brand} sammelt Veranstaltungen von Kommune, Vereinen und Kultur in einem offenen Kalender.",
                [
                    "Eingabe durch Vereine und Kultureinrichtungen",
                    "Offene Schnittstelle für andere Portale",
                    "Barrierefreie Darstellung",
                ],
            ),
            (
                "Raum- und Hallenbuchung",
                "{brand} vergibt Sporthallen, Bürgerhäuser und Räume online und rechnet Gebühren ab.",
                [
                    "Belegungspläne online",
                    "Buchung und Abrechnung",
                    "Schlüsselverwaltung",
                ],
            ),
            (
                "Digitaler Museumsguide",
                "{brand} führt durch Museen und Stadtgeschichte, auch in Leichter Sprache.",
                [
                    "Touren mit Audio und Text",
                    "Inhalte in Leichter Sprache",
                    "Funktioniert ohne Installation im Browser",
                ],
            ),
        ],
    },
}

BRAND_SUFFIXES = [
    "Lotse",
    "Kompass",
    "Netz",
    "Cockpit",
    "Hub",
    "Werk",
    "Pilot",
    "Box",
    "Blick",
    "Fluss",
    "Punkt",
    "Wert",
    "Puls",
    "Brücke",
    "Radar",
]
EDITIONS = ["", "", "", " Kommunal", " Pro", " Basis", " Regio", " Open", " 360", " Kompakt"]

ADVANTAGES = [
    "Die Einführung dauert in der Regel wenige Wochen, ohne eigene Server in der Kommune.",
    "Die Lösung lässt sich schrittweise einführen, zunächst in einem Stadtteil oder Amt.",
    "Offene Schnittstellen verhindern die Abhängigkeit von einem einzelnen Anbieter.",
    "Mitarbeitende werden in kurzen Schulungen eingewiesen; eine Anleitung in einfacher Sprache liegt bei.",
    "Die Daten bleiben Eigentum der Kommune und können jederzeit exportiert werden.",
    "Mehrere Kommunen können die Lösung gemeinsam betreiben und Kosten teilen.",
    "Die Oberfläche ist barrierearm gestaltet und mit der Tastatur bedienbar.",
]
OPERATIONS = [
    "Der Betrieb erfolgt im Rechenzentrum eines kommunalen IT-Dienstleisters.",
    "Der Anbieter übernimmt Betrieb, Updates und Support mit festen Reaktionszeiten.",
    "Die Kommune kann die Software selbst betreiben; eine Betriebsanleitung ist frei verfügbar.",
    "Betrieb und Support werden über einen Wartungsvertrag mit jährlicher Laufzeit geregelt.",
]
COST_NOTES = [
    "Die jährlichen Kosten hängen von der Zahl der Einwohnerinnen und Einwohner ab.",
    "Sensoren und Montage werden einmalig berechnet, der Plattformbetrieb jährlich.",
    "Schulungen und Datenübernahme sind in der Einführung enthalten.",
    "Für Zusammenschlüsse mehrerer Kommunen gibt es Staffelpreise.",
    "Die Software ist lizenzkostenfrei; Kosten entstehen für Einführung und Betrieb.",
]
PROCUREMENT_NOTES = [
    "Eine Beschaffung ist über einen bestehenden Rahmenvertrag oder per Direktauftrag unterhalb der Wertgrenzen möglich.",
    "Für eine Markterkundung stellt der Anbieter eine Leistungsbeschreibung zur Verfügung.",
    "Die Nachnutzung durch weitere Kommunen ist ausdrücklich vorgesehen.",
    "Ein Testzugang für drei Monate ist kostenfrei.",
]
FRAMEWORK_AGREEMENTS = [
    "Rahmenvertrag Kommunale IT (Beispiel)",
    "Landesrahmenvertrag Smart City (Beispiel)",
    "Rahmenvereinbarung Sensorik und IoT (Beispiel)",
]
SPDX_IDS = ["EUPL-1.2", "AGPL-3.0-or-later", "Apache-2.0", "MIT", "GPL-3.0-or-later", "MPL-2.0"]

FIRST_NAMES = [
    "Anna",
    "Jonas",
    "Lea",
    "Lukas",
    "Marie",
    "Felix",
    "Sophie",
    "Paul",
    "Laura",
    "Tim",
    "Hannah",
    "Jan",
    "Katharina",
    "Thomas",
    "Sabine",
    "Michael",
    "Julia",
    "Stefan",
    "Nadine",
    "Ahmet",
    "Olga",
    "Mehmet",
    "Ewa",
    "Dennis",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Braun",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Yılmaz",
    "Nowak",
    "Lange",
    "Werner",
]

# Vendors: obviously invented organisation names.
VENDOR_STEMS = [
    "Urban",
    "Kommunal",
    "Civic",
    "Netz",
    "Daten",
    "Geo",
    "Smart",
    "Stadt",
    "Land",
    "Hanse",
    "Spree",
    "Rhein",
    "Elb",
    "Main",
    "Alpen",
    "Heide",
    "Küsten",
    "Werra",
]
VENDOR_SUFFIXES = ["werk", "data", "logik", "systeme", "konzept", "sense", "lab", "plan", "tec", "soft"]
VENDOR_REGIONS = ["", " Nord", " Süd", " Ost", " West", " Mitte"]
VENDOR_FORMS = ["GmbH", "GmbH", "AG", "GmbH & Co. KG", "UG (haftungsbeschränkt)", "eG"]
MUNICIPAL_IT_NAMES = [
    "Kommunale Datenzentrale {region}",
    "Zweckverband Digitale Kommune {region}",
    "IT-Dienstleister der Kommunen {region}",
    "Kommunales Rechenzentrum {region}",
]
RESEARCH_NAMES = [
    "Institut für urbane Daten {region}",
    "Forschungsstelle Smarte Regionen {region}",
    "Hochschullabor Stadt der Zukunft {region}",
]
COMMUNITY_NAMES = [
    "OpenKommune-Community {region}",
    "Offene Stadtdaten e. V. {region}",
    "Civic-Tech-Werkstatt {region}",
]
# Invented regions ("Beispielland", ...) keep public-sector vendor names evidently fictional.
FICTIONAL_REGIONS = [
    "Beispielland",
    "Musterregion",
    "Nordmusterkreis",
    "Südbeispielkreis",
    "Musterhausen-Land",
    "Beispieltal",
    "Probeland",
    "Exempelkreis",
    "Modellregion Mitte",
    "Musterküste",
]
VENDOR_DESCRIPTIONS = [
    "Wir entwickeln Software für Städte, Gemeinden und Landkreise und betreuen unsere Kunden persönlich.",
    "Unser Team verbindet Verwaltungserfahrung mit moderner Softwareentwicklung.",
    "Wir setzen auf offene Standards und Datensouveränität der Kommunen.",
    "Als kommunaler Partner betreiben wir Fachverfahren und Plattformen für unsere Mitglieder.",
    "Wir forschen zu Digitalisierung in Kommunen und übertragen Ergebnisse in die Praxis.",
    "Eine offene Gemeinschaft aus Verwaltung, Zivilgesellschaft und Entwicklerinnen und Entwicklern.",
]
VENDOR_STREETS = ["Hauptstraße", "Bahnhofstraße", "Marktplatz", "Am Stadtpark", "Lindenallee", "Ringstraße"]

# District keys (5 digits) of districts and district-free cities selected as Modellprojekt Smart Cities, by
# round (sources in docs/data-sources.md). Participants that are municipalities within a district are not
# in the list. The demo marks them only when nothing is marked yet: `import_modellprojekte` has the facts.
MODEL_PROJECT_DISTRICTS = {
    2019: ["05122", "08421", "03103", "12052", "16052", "07312", "09479"],
    2020: [
        "09461",
        "11000",
        "06411",
        "08311",
        "05513",
        "16053",
        "06611",
        "05315",
        "01003",
        "08222",
        "05116",
        "13003",
        "07232",
        "02000",
        "14713",
        "09162",
    ],
    2021: [
        "05911",
        "14612",
        "06531",
        "15002",
        "03252",
        "05762",
        "09763",
        "07336",
        "05515",
        "05119",
        "08231",
        "12054",
        "09362",
        "01059",
        "13075",
        "05124",
        "09663",
    ],
}

PILOT_THEMES = {
    "mobilitaet": [
        "Sensorgestützte Parkraumsteuerung",
        "Rufbus für den ländlichen Raum",
        "Radverkehr messen",
    ],
    "energie-umwelt": [
        "Intelligente Straßenbeleuchtung",
        "Energiemonitoring kommunaler Gebäude",
        "Stadtklima messen",
    ],
    "verwaltung": ["Digitales Bürgerbüro", "Verwaltung ohne Papier"],
    "gesundheit-pflege": ["Pflege im Quartier digital vernetzen", "Pflegeplätze transparent machen"],
    "bildung": ["Digitale Schule im Landkreis", "Bibliothek als digitaler Lernort"],
    "sicherheit-katastrophenschutz": ["Frühwarnsystem Starkregen", "Gemeinsames Lagebild im Krisenstab"],
    "stadtentwicklung-bauen": ["Digitaler Zwilling der Innenstadt", "Leerstand aktivieren"],
    "datenplattform-infrastruktur": ["Aufbau einer urbanen Datenplattform", "Kommunales LoRaWAN für alle"],
    "beteiligung": ["Bürgerbeteiligung digital und vor Ort", "Mängelmelder für die ganze Region"],
    "wirtschaft-tourismus": ["Innenstadt beleben mit Daten", "Besucherlenkung an Ausflugszielen"],
    "wasser-abfall": ["Bedarfsgerechte Containerleerung", "Kanalnetz unter Beobachtung"],
    "kultur-freizeit": ["Ein Kalender für alle Veranstaltungen", "Sporthallen online buchen"],
}
PILOT_GOALS = [
    "Ziel ist es, {theme_lower} in {lead} praktisch zu erproben und die Erfahrungen für andere Kommunen "
    "aufzubereiten.",
    "{lead} will mit dem Projekt Abläufe vereinfachen, Kosten senken und Bürgerinnen und Bürgern einen "
    "spürbaren Nutzen bieten.",
    "Das Projekt soll zeigen, wie offene Standards und gemeinsame Daten die Zusammenarbeit der Ämter verbessern.",
]
PILOT_RESULTS = [
    "Nach zwölf Monaten Betrieb sind die Abläufe messbar schneller; die Rückmeldungen der Nutzenden sind "
    "überwiegend positiv.",
    "Die Erprobung hat gezeigt, dass die Technik zuverlässig läuft; der größere Aufwand lag in der "
    "Abstimmung zwischen den Ämtern.",
    "Ein Teil der Maßnahmen wurde bereits in den Regelbetrieb übernommen, weitere Ortsteile folgen.",
]
PILOT_LESSONS = [
    "Früh mit dem Personalrat und dem Datenschutz sprechen; das spart später Monate.",
    "Kleine Schritte mit sichtbaren Ergebnissen überzeugen Politik und Verwaltung mehr als große Konzepte.",
    "Offene Schnittstellen von Beginn an verlangen, sonst wird der spätere Wechsel teuer.",
    "Die Beteiligung der Bürgerinnen und Bürger braucht feste Ansprechpersonen und Zeit.",
]
PILOT_TRANSFER = [
    "Die Lösung ist auf Kommunen ähnlicher Größe übertragbar; Unterlagen und Leistungsbeschreibung stehen zur "
    "Nachnutzung bereit.",
    "Die entwickelte Software ist Open Source; andere Kommunen können sie ohne Lizenzkosten einsetzen.",
    "Für die Übertragung empfiehlt sich ein Verbund mehrerer Kommunen, um Betriebskosten zu teilen.",
]
PILOT_OPERATOR = [
    "Der Betrieb liegt beim kommunalen IT-Dienstleister; die Fachämter verantworten die Inhalte.",
    "Die Stadtwerke betreiben die Infrastruktur, die Verwaltung nutzt die Daten.",
    "Ein Zweckverband betreibt die Lösung für alle beteiligten Kommunen.",
]
PILOT_DATA = [
    "Sensordaten (anonym), Geodaten der Vermessungsverwaltung, Fahrplandaten.",
    "Verbrauchsdaten kommunaler Gebäude, Wetterdaten des Deutschen Wetterdienstes.",
    "Meldungen der Bürgerinnen und Bürger, Stammdaten der Verwaltung, offene Geodaten.",
]
REFERENCE_STATEMENTS = [
    "Seit der Einführung sparen wir im Fachamt jede Woche mehrere Stunden.",
    "Die Einführung verlief reibungslos, der Support reagiert schnell.",
    "Wir nutzen die Lösung gemeinsam mit unseren Nachbarkommunen.",
    "Besonders überzeugt hat uns die offene Schnittstelle zur Datenplattform.",
    "Die Bürgerinnen und Bürger nehmen das Angebot gut an.",
    "Nach einer Pilotphase im Rathaus läuft die Lösung inzwischen in allen Ämtern.",
]
