// Word lists for finding person names: common given names and surnames in English,
// German, French, Spanish, Italian and Dutch, titles, name particles, and capitalised
// words that start sentences or German nouns but are never names. A list cannot be
// complete; names outside it are still found after a title or a context word.

const set = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter((w) => w !== ''))

export const GIVEN_NAMES = set(`
  James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
  Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward
  Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin
  Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry
  Peter Zachary Douglas Harold Kyle Noah Ethan Oliver Harry Liam Lucas Mason Logan Owen Leo Oscar
  Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret
  Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca
  Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha
  Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce
  Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline
  Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace
  Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie
  Kayla Alexis Lori Chloe Lily Ella Mia Ava Zoe Ruby Jane Kate Lucy Sophie Amelia Isla Freya
  Hans Peter Klaus Jürgen Juergen Wolfgang Michael Thomas Andreas Stefan Frank Uwe Dieter Werner Günter
  Horst Helmut Heinz Manfred Gerhard Karl Walter Bernd Ralf Jörg Joerg Matthias Markus Tobias Sebastian
  Florian Jan Tim Lukas Jonas Leon Finn Paul Felix Maximilian Max Moritz Niklas Julian Fabian Philipp
  Ursula Monika Petra Sabine Renate Helga Karin Brigitte Ingrid Gisela Andrea Claudia Susanne Birgit
  Stefanie Nicole Katrin Kathrin Julia Anja Heike Silke Tanja Sandra Lena Leonie Lea Laura Hannah Mia
  Emma Sophie Marie Johanna Greta Frieda Clara Lina Jana Jasmin Franziska Annika Miriam Ute Jutta
  Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Daniel Bernard Éric Eric Frédéric
  Frederic Laurent Stéphane Stephane Olivier Sébastien Sebastien Julien Thierry Pascal David Vincent
  François Francois Antoine Guillaume Mathieu Romain Maxime Hugo Louis Gabriel Raphaël Raphael Arthur
  Jules Théo Theo Clément Clement Baptiste Lucas Marie Nathalie Isabelle Sylvie Catherine Françoise
  Francoise Valérie Valerie Christine Monique Sophie Sandrine Céline Celine Camille Aurélie Aurelie
  Julie Émilie Emilie Manon Léa Chloé Chloe Inès Ines Jade Louise Alice Juliette Margaux Élodie Elodie
  Antonio Manuel José Francisco Juan David Javier Jesús Jesus Carlos Daniel Miguel Rafael Pedro
  Ángel Angel Alejandro Fernando Pablo Luis Sergio Jorge Alberto Diego Álvaro Alvaro Adrián Adrian
  Raúl Raul Enrique Ramón Ramon Vicente Iván Ivan Rubén Ruben Óscar Andrés Andres Joaquín Joaquin
  Santiago Eduardo Mario Hugo Martín Martin Carmen Josefa Isabel Dolores Pilar Teresa Rosa Ana
  Cristina Lucía Lucia Mercedes Elena Paula Raquel Manuela Rocío Rocio Beatriz Silvia Patricia Marta
  Sara Alba Irene Nuria Alicia Inmaculada Montserrat Sofía Sofia Valentina Ximena Guadalupe
  Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco
  Domenico Bruno Paolo Michele Giorgio Aldo Sergio Luciano Stefano Roberto Alessandro Andrea Marco
  Matteo Lorenzo Leonardo Riccardo Davide Simone Federico Gabriele Emanuele Tommaso Edoardo Luca
  Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Antonietta
  Chiara Giulia Sofia Aurora Alice Ginevra Beatrice Martina Elisa Valentina Federica Silvia Paola
  Alessandra Elena Laura Sara Gianluca Giacomo Alessia Ilaria Serena Roberta Daniela Monica
  Jan Johannes Cornelis Hendrik Pieter Willem Gerrit Jacobus Dirk Klaas Henk Kees Joost Bram Daan
  Sem Lars Thijs Ruben Sven Jeroen Bas Wouter Niels Maarten Sander Stijn Ruud Ton Geert Marco
  Maria Johanna Anna Cornelia Elisabeth Wilhelmina Hendrika Petronella Geertruida Margaretha Sanne
  Anouk Femke Fleur Lotte Eva Iris Noor Julia Lieke Marloes Inge Ingrid Esther Els Annemarie Mirjam
  Wilma Joke Ineke Marieke Sanne Saskia Anke Tessa Roos Yara Nienke Eline
`)

export const SURNAMES = set(`
  Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
  Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White Harris Sanchez Clark Ramirez Lewis
  Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker
  Hall Rivera Campbell Mitchell Carter Roberts Evans Turner Phillips Parker Collins Edwards Stewart
  Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson
  Wood Watson Brooks Bennett Gray James Hughes Price Sanders Myers Long Ross Foster Jenkins Powell
  Patel Khan Shah Ali Singh Kumar Wang Chen Zhang Li Liu Kim Park Tanaka Suzuki Sato
  Müller Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Schaefer
  Koch Bauer Richter Klein Wolf Schröder Schroeder Neumann Schwarz Zimmermann Braun Krüger Krueger
  Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler
  Koehler Herrmann König Koenig Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Moeller
  Weiß Weiss Jung Hahn Vogel Friedrich Keller Günther Berger Frank Roth Beck Lorenz Baumann Franke
  Albrecht Ludwig Winter Simon Kraus Böhm Boehm Mustermann
  Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel
  Garcia David Bertrand Roux Vincent Fournier Morel Girard André Andre Lefèvre Lefevre Mercier Dupont
  Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel
  Nicolas Perrin Morin Mathieu Clement Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Dupuis
  García González Rodríguez Fernández Fernandez López Martínez Sánchez Pérez Perez Gómez Gomez
  Martín Jiménez Jimenez Ruiz Hernández Díaz Diaz Moreno Muñoz Munoz Álvarez Alvarez Romero Alonso
  Gutiérrez Gutierrez Navarro Torres Domínguez Dominguez Vázquez Vazquez Ramos Gil Ramírez Serrano
  Blanco Molina Morales Suárez Suarez Ortega Delgado Castro Ortiz Rubio Marín Marin Sanz Iglesias
  Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca
  Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso
  Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De Santis
  Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala
  Jansen Janssen Visser Smit Meijer Bos Mulder Vos Peters Hendriks Dekker Brouwer Dijkstra Smits
  Bakker Berg Boer Graaf Vries Wit Bruijn Jong Groot Leeuwen Wijk Dam Veen Dijk Heuvel Linden
  Kok Jacobs Haan Vermeulen Bosch Huisman Kuipers Schouten Willems Hoekstra Maas Verhoeven Koster
`)

/** Titles before a name; the title is not part of the finding, as in Presidio. */
export const TITLES = set(`
  mr mrs ms miss mx dr prof sir dame lady lord herr frau hr fr m mme mlle monsieur madame
  sr sra srta señor señora senor senora don doña dona sig signor signora sigra dott dottssa avv ing
  dhr mevr meneer mevrouw mw
`)

/** Lower-case words that join parts of a name: van der Berg, de la Cruz, di Marco. */
export const PARTICLES = set("van der den de la le du des del della di da von zu dos das ten ter 't y")

/** Capitalised words that are never (the start of) a person's name. */
export const NOT_NAMES = set(`
  The A An This That These Those Please Dear Hello Hi Hey Thanks Thank Our Your My We I He She They It
  If When Where What Why How Who Call Contact Send Email Mail Phone Tel Fax Customer Client Patient
  Order Invoice Account Number Name Address Street Road Avenue City Date Birth Born Card Bank Passport
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
  August September October November December Mr Mrs Ms Dr Prof Miss Mx Sir
  Der Die Das Ein Eine Sehr Geehrte Geehrter Bitte Kunde Kundin Herr Frau Straße Strasse Nummer Telefon
  Liebe Lieber Ihre Ihr Unser Unsere Wir Sie Er Es Am Im Vom Zum Zur Bei Mit Nach Von Und Oder Seit
  Geburtsdatum Adresse Konto Rechnung Bestellung Ausweis Reisepass Steuer Guten Tag Hallo Danke
  Le La Les Un Une Des Bonjour Madame Monsieur Cher Chère Merci Numéro Rue Né Née Nous Vous Il Elle
  El Los Las Una Hola Estimado Estimada Señor Señora Calle Gracias Nacido Nacida Usted Nosotros
  Il Lo Gli Uno Gentile Caro Cara Signor Signora Via Grazie Nato Nata Codice Fiscale Buongiorno
  De Het Een Beste Geachte Meneer Mevrouw Straat Bedankt Geboren Wij Hij Zij
  Visa Mastercard Amex Iban Bic Swift Ssn Nhs Nino Bsn Nif Nie Dni Cf Id Ip Url Www Http Https
  Ltd Inc Gmbh Corp Company Bank Hospital University Hotel Station Airport Street Square Park
`)
