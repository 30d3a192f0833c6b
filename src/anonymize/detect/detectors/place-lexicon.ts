// Place names for LOCATION: large cities and countries, in English and in the six
// languages' own spelling. Multi-word names are stored with single spaces.

const set = (text: string): ReadonlySet<string> =>
  new Set(
    text
      .split(/\s*[,\n]\s*/)
      .map((w) => w.trim())
      .filter((w) => w !== ''),
  )

export const CITIES = set(`
  London, Manchester, Birmingham, Liverpool, Leeds, Glasgow, Edinburgh, Bristol, Cardiff, Belfast,
  Oxford, Cambridge, Sheffield, Newcastle, Nottingham, Brighton, Dublin, Cork,
  New York, Los Angeles, Chicago, Houston, Phoenix, Philadelphia, San Antonio, San Diego, Dallas,
  San Jose, Austin, San Francisco, Seattle, Denver, Boston, Washington, Atlanta, Miami, Detroit,
  Portland, Las Vegas, Baltimore, Minneapolis, Pittsburgh, Nashville, Springfield, Toronto,
  Montreal, Vancouver, Ottawa, Sydney, Melbourne,
  Berlin, Hamburg, München, Munich, Köln, Koeln, Cologne, Frankfurt, Frankfurt am Main, Stuttgart,
  Düsseldorf, Duesseldorf, Dortmund, Essen, Leipzig, Bremen, Dresden, Hannover, Nürnberg, Nuremberg,
  Duisburg, Bochum, Wuppertal, Bielefeld, Bonn, Münster, Mannheim, Karlsruhe, Augsburg, Wiesbaden,
  Freiburg, Heidelberg, Potsdam, Kiel, Rostock, Mainz, Wien, Vienna, Graz, Salzburg, Zürich,
  Zurich, Genf, Geneva, Genève, Basel, Bern,
  Paris, Marseille, Lyon, Toulouse, Nice, Nantes, Strasbourg, Montpellier, Bordeaux, Lille, Rennes,
  Reims, Toulon, Grenoble, Dijon, Angers, Nîmes, Nimes, Brest, Tours, Limoges, Amiens, Metz,
  Perpignan, Besançon, Orléans, Orleans, Rouen, Caen, Nancy, Avignon, Bruxelles, Brussels, Liège,
  Madrid, Barcelona, Valencia, Sevilla, Seville, Zaragoza, Málaga, Malaga, Murcia, Palma, Bilbao,
  Alicante, Córdoba, Cordoba, Valladolid, Vigo, Gijón, Granada, Oviedo, Santander, Salamanca,
  Pamplona, San Sebastián, Toledo, Cádiz, Cadiz, Lisboa, Lisbon, Porto,
  Roma, Rome, Milano, Milan, Napoli, Naples, Torino, Turin, Palermo, Genova, Genoa, Bologna,
  Firenze, Florence, Bari, Catania, Venezia, Venice, Verona, Messina, Padova, Padua, Trieste,
  Brescia, Parma, Modena, Perugia, Pisa, Siena, Bergamo, Como, Trento, Cagliari,
  Amsterdam, Rotterdam, Den Haag, The Hague, Utrecht, Eindhoven, Groningen, Tilburg, Almere, Breda,
  Nijmegen, Apeldoorn, Haarlem, Arnhem, Enschede, Amersfoort, Zwolle, Leiden, Maastricht, Delft,
  Dordrecht, Antwerpen, Antwerp, Gent, Ghent, Brugge, Bruges,
  Tokyo, Beijing, Shanghai, Mumbai, Delhi, Istanbul, Moscow, Warsaw, Prague, Budapest, Copenhagen,
  Stockholm, Oslo, Helsinki, Athens, Cairo, Dubai, Singapore, Hong Kong, Seoul, Mexico City,
  Buenos Aires, São Paulo, Rio de Janeiro, Lima, Bogotá, Santiago, Cape Town, Johannesburg, Lagos,
  Nairobi,
`)

export const COUNTRIES = set(`
  United Kingdom, England, Scotland, Wales, Ireland, United States, USA, Canada, Australia,
  Germany, Deutschland, France, Spain, España, Italy, Italia, Netherlands, Nederland, Holland,
  Belgium, Belgique, België, Austria, Österreich, Switzerland, Schweiz, Suisse, Portugal, Poland,
  Polen, Pologne, Polonia, Sweden, Norway, Denmark, Finland, Greece, Turkey, Russia, Ukraine,
  China, Japan, India, Brazil, Mexico, México, Argentina, Chile, Colombia, Peru, Egypt, Nigeria,
  Kenya, South Africa, Morocco, Algeria, Tunisia, Israel, Iran, Iraq, Pakistan, Bangladesh,
  Indonesia, Philippines, Vietnam, Thailand, Malaysia, South Korea, New Zealand, Luxembourg,
  Czech Republic, Hungary, Romania, Bulgaria, Croatia, Serbia, Slovakia, Slovenia, Lithuania,
  Latvia, Estonia, Iceland, Frankreich, Spanien, Italien, Niederlande, Großbritannien, Angleterre,
  Allemagne, Espagne, Italie, Pays-Bas, Alemania, Francia, Italia, Países Bajos, Germania, Spagna,
  Paesi Bassi, Duitsland, Frankrijk, Spanje, Italië,
`)

/** Longest place name in words, so the tokenizer knows how far to look ahead. */
export const MAX_PLACE_WORDS = 3
