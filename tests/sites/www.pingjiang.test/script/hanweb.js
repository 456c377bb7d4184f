function _showDynClicks(t,s,i){document.write('');}
function doZoom(s){document.getElementById('zoom').style.fontSize=s+'px';}
