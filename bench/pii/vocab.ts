// Names, towns and streets per language for the evaluation set. The lists are the
// generator's own: about a third of the given names and surnames are not in the
// detector's word lists, so name recall is measured on names it has never seen.

export type Lang = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl'

const list = (text: string): readonly string[] => text.split(/\s*,\s*|\s+(?=\S)/).filter((w) => w !== '')
const commas = (text: string): readonly string[] =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '')

export interface LangVocab {
  readonly given: readonly string[]
  readonly surnames: readonly string[]
  readonly towns: readonly string[]
  readonly streets: readonly string[]
}

export const VOCAB: Readonly<Record<Lang, LangVocab>> = {
  en: {
    given: list(
      'James Mary Robert Patricia Emily Oliver Charlotte Henry Grace Daniel Sophie Ethan Chloe Liam Ava Noah Ruby Kwame Aaliyah Declan Siobhan Tobias Imogen Rhys Niamh Oluwaseun Priya Ananya Yusuf',
    ),
    surnames: list(
      'Smith Johnson Brown Taylor Wilson Davies Evans Thomas Walker Wright Robinson Thompson Hughes Edwards Okafor Adeyemi Nakamura Fitzgerald Callaghan Pemberton Ashworth Whitfield Kowalczyk Lindqvist',
    ),
    towns: commas(
      'London, Manchester, Leeds, Bristol, Boston, Chicago, Seattle, Denver, Toronto, Edinburgh, Norwich, Exeter',
    ),
    streets: list('Baker Oak Maple Elm High Church Station Victoria Mill Park Cedar Willow Kingsley Harrow'),
  },
  de: {
    given: list(
      'Hans Klaus Jürgen Stefan Thomas Andreas Petra Sabine Ursula Monika Lukas Jonas Leonie Johanna Greta Torsten Gunnar Wiebke Heike Malte Ole Frauke Detlef Hannelore',
    ),
    surnames: list(
      'Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Koch Richter Zimmermann Brandt Vogt Kühn Pohl Ostermann Brinkmann Kessler Thiel Lindemann',
    ),
    towns: commas(
      'Berlin, Hamburg, München, Köln, Frankfurt, Stuttgart, Leipzig, Dresden, Bremen, Hannover, Bielefeld, Lübeck, Kassel',
    ),
    streets: list('Haupt Bahnhof Schiller Goethe Garten Linden Kirch Berg Wald Mozart Eichen Rosen Birken'),
  },
  fr: {
    given: list(
      'Jean Pierre Michel Philippe Nicolas Julien Marie Nathalie Isabelle Sophie Camille Léa Chloé Hugo Louis Gaëlle Yannick Ségolène Perrine Maëlys Anatole Gwendal',
    ),
    surnames: list(
      'Martin Bernard Dubois Durand Leroy Moreau Lefebvre Dupont Fournier Girard Rousseau Blanc Lemaire Chevallier Bouchard Garnier Poirier Tessier Carpentier',
    ),
    towns: commas(
      'Paris, Lyon, Marseille, Toulouse, Bordeaux, Lille, Nantes, Strasbourg, Rennes, Grenoble, Dijon',
    ),
    streets: commas(
      'de la Paix, de la République, Victor Hugo, de la Gare, de Rivoli, Pasteur, Voltaire, de la Liberté, Jean Jaurès, Saint-Michel',
    ),
  },
  es: {
    given: list(
      'Antonio Manuel José Francisco Javier Carlos Pablo Lucía María Carmen Elena Isabel Laura Alba Íñigo Begoña Itziar Xabier Maite Leire Ainhoa',
    ),
    surnames: list(
      'García González Rodríguez Fernández López Martínez Sánchez Pérez Gómez Ruiz Navarro Molina Etxeberria Arrieta Zubizarreta Quintana Valcárcel Sandoval',
    ),
    towns: commas(
      'Madrid, Barcelona, Valencia, Sevilla, Zaragoza, Málaga, Bilbao, Granada, Salamanca, Valladolid',
    ),
    streets: commas(
      'Mayor, de Alcalá, Gran Vía, de Serrano, de la Constitución, de San Juan, Real, de Colón, de los Reyes Católicos',
    ),
  },
  it: {
    given: list(
      'Giuseppe Giovanni Marco Luca Matteo Francesco Alessandro Giulia Francesca Chiara Sofia Martina Elisa Gennaro Ottavio Brunella Ornella Raffaella Gianpaolo Filomena',
    ),
    surnames: list(
      'Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Conti Gallo Pellegrino Santangelo Cavallaro Brambilla Zanetti Lombardi',
    ),
    towns: commas('Roma, Milano, Napoli, Torino, Firenze, Bologna, Genova, Venezia, Verona, Palermo, Bari'),
    streets: commas(
      'Roma, Garibaldi, Mazzini, Dante, Verdi, Cavour, Vittorio Emanuele, Marconi, della Repubblica',
    ),
  },
  nl: {
    given: list(
      'Jan Pieter Willem Daan Bram Sem Lars Anouk Sanne Femke Lotte Eva Iris Joost Sjoerd Hidde Marit Jildou Wietske Bauke',
    ),
    surnames: list(
      'Jansen Visser Smit Meijer Bos Mulder Bakker Dekker Brouwer Dijkstra Hoekstra Kuipers Postma Veenstra Terpstra Wijnberg',
    ),
    towns: commas(
      'Amsterdam, Rotterdam, Utrecht, Eindhoven, Groningen, Leiden, Haarlem, Delft, Zwolle, Maastricht',
    ),
    streets: list('Kerk Dorps Molen School Stations Prinsen Heeren Keizers Linden Beuken'),
  },
}

/** Dutch and German surname particles for a few of the generated names. */
export const PARTICLES: Readonly<Partial<Record<Lang, readonly string[]>>> = {
  nl: ['de', 'van', 'van der', 'van den'],
  de: ['von'],
  es: ['de la'],
}

export const EMAIL_DOMAINS = [
  'example.com',
  'mail.example.org',
  'example.net',
  'firma.example.de',
  'example.fr',
  'correo.example.es',
  'example.it',
  'example.nl',
]
